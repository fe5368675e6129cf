# kernel-ext/jupyterhub/jupyterhub_config.py: JupyterHub for a RedLeaf.NET course on one machine
# (Debian 12's jupyterhub 3.0.0, classic notebook 6.4 as each student's server, LocalProcessSpawner:
# every student's server and kernels run as that student's Unix user). Start it as root:
#
#     REDLEAF_ROOT=/opt/redleaf jupyterhub -f /opt/redleaf/kernel-ext/jupyterhub/jupyterhub_config.py
#
# Every setting comes from here; the environment variables below only say where things are:
#   REDLEAF_ROOT            the repository, built (./redleaf) and readable by every student
#                           (default: two folders above this file)
#   REDLEAF_HUB_PORT        the port of the hub's public address, always 127.0.0.1 (default 8000); the
#                           proxy's API listens on PORT+1 and the hub itself on PORT+2, also on 127.0.0.1
#   REDLEAF_HUB_STATE       a folder for the hub's database, cookie secret and proxy token (default
#                           /var/lib/redleaf-hub), readable by root only
#   REDLEAF_HUB_USERS       a file of student user names, one a line (Unix users that exist); if unset,
#                           any Unix user who can log in through PAM is let in
#   REDLEAF_HUB_ADMINS      comma-separated user names of the teaching staff (hub admins)
#   REDLEAF_HUB_OPS_TOKEN   if set, an API token for a service "course-ops" that may create users and
#                           start, stop and use their servers (scripts, hub-check.py); keep it secret
#
# The hub never listens beyond localhost: students reach it through an HTTPS reverse proxy on the
# same machine (see README.md), and a non-loopback address in this file is refused at start.
import ipaddress
import os
import pwd
import shutil

here = os.path.dirname(os.path.abspath(__file__))
root = os.path.abspath(os.environ.get("REDLEAF_ROOT") or os.path.join(here, "..", ".."))
port = int(os.environ.get("REDLEAF_HUB_PORT", "8000"))
state = os.path.abspath(os.environ.get("REDLEAF_HUB_STATE", "/var/lib/redleaf-hub"))
loopback = "127.0.0.1"

c = get_config()  # noqa: F821 (JupyterHub's config loader defines it)


def refuse(message):
    raise SystemExit(f"redleaf hub config ({__file__}): {message}")


# What the course needs in place before the hub starts: a built repository every student can read.
if not os.path.isdir(os.path.join(root, "domains", "Interfaces")):
    refuse(f"REDLEAF_ROOT={root} is not a RedLeaf.NET repository (no domains/Interfaces)")
feed_package = os.path.join(root, "artifacts", "feed", "RedLeaf.Interactive.0.1.0.nupkg")
if not os.path.isfile(feed_package):
    refuse(f"the extension is not built ({feed_package} is missing): run {root}/redleaf once as the repository's owner")
interactive = os.path.join(root, ".tools", "dotnet-interactive")
if not os.access(interactive, os.X_OK):
    refuse(f"the kernel is missing ({interactive}): run {root}/.ci/setup")
walk = root
while True:  # every folder down to the repository must be enterable by others (o+x), the repository readable
    mode = os.stat(walk).st_mode
    if not mode & 0o001 or (walk == root and not mode & 0o004):
        refuse(f"{walk} is not readable by other users (mode {oct(mode & 0o777)}): students' kernels could not "
               f"load the extension; put the repository on a path all users can read (e.g. /opt/redleaf)")
    if walk == "/":
        break
    walk = os.path.dirname(walk)
# Students' code runs as themselves, and the repository is readable by all: the instructor's copies of the
# handouts (their solutions and hidden tests) must be closed to others (chmod -R o-rwx) or left out.
for private in (os.path.join(root, "notebooks", "handouts", "source"), os.path.join(root, "tests")):
    if os.path.exists(private) and os.stat(private).st_mode & 0o005:
        print(f"[redleaf hub config] WARNING: {private} is readable by students (solutions, hidden tests): "
              f"chmod -R o-rwx it (or deploy a copy without it)", flush=True)
dotnet = shutil.which("dotnet")
if dotnet is None:
    refuse("the .NET SDK (dotnet) is not on PATH")
dotnet_root = os.path.dirname(os.path.realpath(dotnet))

os.makedirs(state, mode=0o700, exist_ok=True)

# --- Addresses: localhost only ------------------------------------------------------------------------
c.JupyterHub.bind_url = f"http://{loopback}:{port}"
c.JupyterHub.hub_ip = loopback
c.JupyterHub.hub_port = port + 2
c.ConfigurableHTTPProxy.api_url = f"http://{loopback}:{port + 1}"
c.Spawner.ip = loopback
for address in (loopback, c.JupyterHub.hub_ip, c.Spawner.ip):
    if not ipaddress.ip_address(address).is_loopback:
        refuse(f"{address} is not a loopback address; this hub listens on localhost only")

# The proxy: Debian's node-configurable-http-proxy keeps its modules in /usr/share/nodejs, where a
# Node from elsewhere (NodeSource, nvm) does not look; npm's configurable-http-proxy needs nothing.
chp = shutil.which("configurable-http-proxy") or refuse("configurable-http-proxy is not installed (.ci/setup installs it)")
c.ConfigurableHTTPProxy.command = ["/usr/bin/env", "NODE_PATH=/usr/share/nodejs", chp]
c.ConfigurableHTTPProxy.pid_file = os.path.join(state, "proxy.pid")

# --- The hub's own state --------------------------------------------------------------------------------
c.JupyterHub.db_url = "sqlite:///" + os.path.join(state, "jupyterhub.sqlite")
c.JupyterHub.cookie_secret_file = os.path.join(state, "jupyterhub_cookie_secret")
c.JupyterHub.pid_file = os.path.join(state, "jupyterhub.pid")
c.JupyterHub.cleanup_servers = True  # stopping the hub stops every student's server

# --- Who may log in -------------------------------------------------------------------------------------
# PAM (Unix passwords) by default; a university login is one line away (e.g. oauthenticator's
# GenericOAuthenticator), the users still being Unix users on this machine.
users_file = os.environ.get("REDLEAF_HUB_USERS")
if users_file:
    with open(users_file) as f:
        c.Authenticator.allowed_users = {line.strip() for line in f if line.strip() and not line.startswith("#")}
admins = {a.strip() for a in os.environ.get("REDLEAF_HUB_ADMINS", "").split(",") if a.strip()}
c.Authenticator.admin_users = admins
c.Authenticator.delete_invalid_users = True  # a student removed from the list is removed from the hub

ops_token = os.environ.get("REDLEAF_HUB_OPS_TOKEN")
if ops_token:
    c.JupyterHub.services = [{"name": "course-ops", "api_token": ops_token}]
    c.JupyterHub.load_roles = [{
        "name": "course-ops",
        "description": "create students, start and stop their servers, reach their servers' APIs",
        "scopes": ["admin:users", "admin:servers", "access:servers", "list:users", "read:users"],
        "services": ["course-ops"],
    }]

# --- Each student's server ------------------------------------------------------------------------------
c.JupyterHub.spawner_class = "jupyterhub.spawner.LocalProcessSpawner"
# The server starts as the student (never root in the student's home): it makes its private scratch
# folder (TMPDIR, below) and becomes jupyterhub-singleuser; the spawner's arguments follow.
c.Spawner.cmd = ["/bin/sh", "-c", '(umask 077 && mkdir -p "$TMPDIR") && exec /usr/bin/jupyterhub-singleuser "$@"',
                 "jupyterhub-singleuser"]
c.Spawner.default_url = "/tree"
c.Spawner.notebook_dir = "~"
c.Spawner.http_timeout = 60
c.Spawner.start_timeout = 90


def _home(spawner):
    return pwd.getpwnam(spawner.user.name).pw_dir


def _in_home(*parts):
    return lambda spawner: os.path.join(_home(spawner), *parts)


# The RedLeaf kernel for every student. The kernelspecs (redleaf-csharp, and .net-csharp, the name the
# course's handouts carry) live in this folder's share/kernels and take their whole environment from
# here: the repository and its local NuGet feed are shared and read-only; everything written (restored
# packages, the .NET CLI's home, the machine key that signs domain images, the image cache) is in the
# student's own home, so no student reads or changes another's.
c.Spawner.env_keep = ["LANG", "LC_ALL"]
c.Spawner.environment = {
    "JUPYTERHUB_SINGLEUSER_APP": "notebook.notebookapp.NotebookApp",  # the classic notebook 6.4
    "PATH": os.pathsep.join(dict.fromkeys([dotnet_root, "/usr/local/bin", "/usr/bin", "/bin"])),
    "JUPYTER_PATH": os.path.join(here, "share"),
    "DOTNET_ROOT": dotnet_root,
    "DOTNET_CLI_TELEMETRY_OPTOUT": "1",
    "DOTNET_NOLOGO": "1",
    "DOTNET_SKIP_FIRST_TIME_EXPERIENCE": "1",
    "REDLEAF_ROOT": root,
    "RestoreAdditionalProjectSources": os.path.join(root, "artifacts", "feed"),
    "DOTNET_CLI_HOME": _home,
    "NUGET_PACKAGES": _in_home(".redleaf", "nuget-packages"),
    "REDLEAF_KEY_DIR": _in_home(".local", "share", "redleaf"),
    "REDLEAF_CACHE_DIR": _in_home(".cache", "redleaf", "images"),
    "TMPDIR": _in_home(".cache", "tmp"),  # NuGet's and .NET's scratch files, private and removed with the student
}


# nbgitpuller (Debian's python3-nbgitpuller, enabled for every server by /etc/jupyter) hands out the
# course's notebooks: a link https://HUB/hub/user-redirect/git-pull?repo=URL&branch=main&urlpath=tree/REPO
# clones the handout repository into the student's home on first click and merges updates later
# without overwriting the student's changes.
