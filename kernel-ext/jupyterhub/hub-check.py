#!/usr/bin/python3
# kernel-ext/jupyterhub/hub-check.py: the course hub, end to end, on this machine (run as root).
# Creates two throwaway Unix students, starts a real JupyterHub with jupyterhub_config.py on 127.0.0.1
# (LocalProcessSpawner), starts each student's server through the hub's REST API (a service token),
# hands out hub-check.ipynb to each with nbgitpuller (from a local git repository), and executes it in
# each student's server through the server's REST and websocket kernel API (python3-websocket): the
# RedLeaf kernel loads the extension from the feed, boots, compiles a #!domain and calls it. Checks
# that every cell ran without error, that each kernel runs as its own student (the name it prints, and
# the owner of its process as /proc reports it), that each student's machine key is in that student's
# home, and that nothing the hub started listens beyond localhost. Removes the students, their
# processes and every file it made, whatever happened. Prints one line per step and, last,
# `hub-check: passed ...` or `hub-check: FAILED ...` (exit 0 or 1).
#   hub-check.py [--root REPO] [--cell-seconds N]   (N: the limit per cell, default 300)
# The repository must be built (./redleaf) and set up (.ci/setup: jupyterhub, the proxy, nbgitpuller,
# python3-websocket, the dotnet-interactive tool), on a path every user can read.
import argparse
import json
import os
import pwd
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid

here = os.path.dirname(os.path.abspath(__file__))
started = time.monotonic()


class CheckFailed(Exception):
    pass


def step(message):
    print(f"hub-check [{time.monotonic() - started:6.1f}s] {message}", flush=True)


def fail(message):
    raise CheckFailed(message)


class Hub:
    """The running hub: its process, its address and the ops token."""

    def __init__(self, root, state, port, token, users_file):
        self.root, self.state, self.port, self.token = root, state, port, token
        self.base = f"http://127.0.0.1:{port}"
        self.log_path = os.path.join(state, "hub.log")
        env = dict(os.environ)
        env.update({
            "REDLEAF_ROOT": root,
            "REDLEAF_HUB_PORT": str(port),
            "REDLEAF_HUB_STATE": state,
            "REDLEAF_HUB_OPS_TOKEN": token,
            "REDLEAF_HUB_USERS": users_file,
            "PATH": "/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin",
        })
        with open(self.log_path, "wb") as log:
            self.process = subprocess.Popen(
                ["/usr/bin/jupyterhub", "-f", os.path.join(here, "jupyterhub_config.py")],
                cwd=state, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)

    def log_tail(self, lines=40):
        try:
            with open(self.log_path, errors="replace") as f:
                return "".join(f.readlines()[-lines:])
        except OSError:
            return "(no hub log)"

    def request(self, method, path, body=None, timeout=60, ok=(200, 201, 202, 204)):
        data = None if body is None else json.dumps(body).encode()
        req = urllib.request.Request(self.base + path, data=data, method=method,
                                     headers={"Authorization": f"token {self.token}", "Content-Type": "application/json"})
        try:
            with urllib.request.urlopen(req, timeout=timeout) as r:
                text = r.read().decode()
                status = r.status
        except urllib.error.HTTPError as e:
            text, status = e.read().decode(errors="replace"), e.code
        if status not in ok:
            fail(f"{method} {path} answered {status}: {text[:400]}")
        return json.loads(text) if text.strip().startswith(("{", "[")) else text

    def wait_up(self, seconds):
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                fail(f"the hub exited with status {self.process.returncode}:\n{self.log_tail()}")
            try:
                with urllib.request.urlopen(self.base + "/hub/api/", timeout=5) as r:
                    if r.status == 200:
                        return
            except (urllib.error.URLError, OSError):
                pass
            time.sleep(0.5)
        fail(f"the hub did not answer on {self.base}/hub/api/ within {seconds} s:\n{self.log_tail()}")

    def start_server(self, user, seconds):
        self.request("POST", f"/hub/api/users/{user}", ok=(201, 409))
        self.request("POST", f"/hub/api/users/{user}/server")
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            model = self.request("GET", f"/hub/api/users/{user}")
            server = (model.get("servers") or {}).get("")
            if server and server.get("ready"):
                return server
            time.sleep(1)
        fail(f"{user}'s server was not ready within {seconds} s:\n{self.log_tail()}")

    def stop(self):
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(30)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(10)


def execute_notebook(hub, user, kernel_name, notebook, cell_seconds):
    """Runs every code cell of notebook (a dict) in a new kernel of user's server over the websocket
    kernel API; returns (kernel id, the notebook with outputs)."""
    import websocket  # Debian's python3-websocket

    kernel = hub.request("POST", f"/user/{user}/api/kernels", {"name": kernel_name})
    url = f"ws://127.0.0.1:{hub.port}/user/{user}/api/kernels/{kernel['id']}/channels"
    ws = websocket.create_connection(url, header=[f"Authorization: token {hub.token}"], timeout=cell_seconds)
    session = uuid.uuid4().hex
    try:
        count = 0
        for index, cell in enumerate(notebook["cells"]):
            if cell["cell_type"] != "code":
                continue
            code = "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]
            msg_id = uuid.uuid4().hex
            ws.send(json.dumps({
                "header": {"msg_id": msg_id, "username": user, "session": session, "msg_type": "execute_request",
                           "version": "5.3", "date": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())},
                "parent_header": {}, "metadata": {}, "channel": "shell", "buffers": [],
                "content": {"code": code, "silent": False, "store_history": True, "user_expressions": {},
                            "allow_stdin": False, "stop_on_error": True},
            }))
            outputs, idle, reply = [], False, None
            deadline = time.monotonic() + cell_seconds
            while not (idle and reply is not None):
                if time.monotonic() > deadline:
                    fail(f"{user}: cell {index} did not finish within {cell_seconds} s")
                msg = json.loads(ws.recv())
                if msg.get("parent_header", {}).get("msg_id") != msg_id:
                    continue
                kind, content = msg["msg_type"], msg["content"]
                if msg.get("channel") == "shell" and kind == "execute_reply":
                    reply = content
                elif kind == "status" and content.get("execution_state") == "idle":
                    idle = True
                elif kind == "stream":
                    outputs.append({"output_type": "stream", "name": content["name"], "text": content["text"]})
                elif kind in ("display_data", "execute_result"):
                    out = {"output_type": kind, "data": content.get("data", {}), "metadata": content.get("metadata", {})}
                    if kind == "execute_result":
                        out["execution_count"] = content.get("execution_count")
                    outputs.append(out)
                elif kind == "error":
                    outputs.append({"output_type": "error", "ename": content.get("ename", ""),
                                    "evalue": content.get("evalue", ""), "traceback": content.get("traceback", [])})
            count += 1
            cell["outputs"] = outputs
            cell["execution_count"] = reply.get("execution_count")
            errors = [o for o in outputs if o["output_type"] == "error"]
            if reply.get("status") != "ok" or errors:
                detail = errors[0]["evalue"] if errors else reply.get("evalue", reply.get("status"))
                fail(f"{user}: cell {index} failed ({reply.get('status')}): {str(detail)[:600]}")
        return kernel["id"], notebook
    finally:
        ws.close()


def stdout_of(notebook):
    return "".join(o.get("text", "") for c in notebook["cells"] for o in c.get("outputs", [])
                   if o.get("output_type") == "stream" and o.get("name") == "stdout")


def uid_of_process(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("Uid:"):
                return int(line.split()[1])
    fail(f"no Uid line for process {pid}")


def resident_mib(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) // 1024
    return -1


def descendants(pid):
    children = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as f:
                    ppid = int(f.read().rsplit(")", 1)[1].split()[1])
                children.setdefault(ppid, []).append(int(entry))
            except (OSError, IndexError, ValueError):
                pass
    found, todo = [], [pid]
    while todo:
        p = todo.pop()
        found.append(p)
        todo.extend(children.get(p, []))
    return found


def listening_addresses(pids):
    """(pid, address, port) of every listening TCP socket the processes hold."""
    inodes = {}
    for pid in pids:
        try:
            for fd in os.listdir(f"/proc/{pid}/fd"):
                link = os.readlink(f"/proc/{pid}/fd/{fd}")
                if link.startswith("socket:["):
                    inodes[link[8:-1]] = pid
        except OSError:
            pass
    found = []
    for table, v6 in (("/proc/net/tcp", False), ("/proc/net/tcp6", True)):
        try:
            with open(table) as f:
                rows = f.readlines()[1:]
        except OSError:
            continue
        for row in rows:
            cols = row.split()
            if cols[3] != "0A" or cols[9] not in inodes:  # 0A: LISTEN
                continue
            hex_addr, hex_port = cols[1].split(":")
            raw = bytes.fromhex(hex_addr)
            if v6:
                words = b"".join(raw[i:i + 4][::-1] for i in range(0, 16, 4))
                address = socket.inet_ntop(socket.AF_INET6, words)
            else:
                address = socket.inet_ntop(socket.AF_INET, raw[::-1])
            found.append((inodes[cols[9]], address, int(hex_port, 16)))
    return found


def free_port_block(size=3):
    for _ in range(200):
        base = 20000 + secrets.randbelow(20000)
        sockets = []
        try:
            for offset in range(size):
                s = socket.socket()
                s.bind(("127.0.0.1", base + offset))
                sockets.append(s)
            return base
        except OSError:
            continue
        finally:
            for s in sockets:
                s.close()
    fail("no free block of ports on 127.0.0.1")


def serve_folder(folder):
    """A static HTTP server for folder on 127.0.0.1 (a free port), in a thread of this process."""
    import functools
    import http.server
    import threading

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *_):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=folder))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def run(cmd, **kw):
    result = subprocess.run(cmd, capture_output=True, text=True, **kw)
    if result.returncode != 0:
        fail(f"{' '.join(cmd)} failed ({result.returncode}): {result.stderr.strip()[:400]}")
    return result.stdout


def kill_processes_of(uid):
    """Ends every process owned by uid (a throwaway student this run created), by pid."""
    for signum in (signal.SIGTERM, signal.SIGKILL):
        pids = []
        for entry in os.listdir("/proc"):
            if entry.isdigit():
                try:
                    if uid_of_process(int(entry)) == uid:
                        pids.append(int(entry))
                except (OSError, CheckFailed):
                    pass
        for pid in pids:
            try:
                os.kill(pid, signum)
            except ProcessLookupError:
                pass
        if not pids:
            return 0
        time.sleep(2)
    return len(pids)


def main():
    parser = argparse.ArgumentParser(description="the course hub, end to end, with two throwaway students")
    parser.add_argument("--root", default=os.path.abspath(os.path.join(here, "..", "..")))
    parser.add_argument("--cell-seconds", type=int, default=300)
    args = parser.parse_args()
    root = os.path.abspath(args.root)

    if os.geteuid() != 0:
        print("hub-check: FAILED: must run as root (it creates Unix users and starts a hub that spawns their servers)", flush=True)
        return 1
    for path, what in ((os.path.join(root, "artifacts", "feed", "RedLeaf.Interactive.0.1.0.nupkg"), f"build it with {root}/redleaf"),
                       (os.path.join(root, ".tools", "dotnet-interactive"), f"run {root}/.ci/setup"),
                       ("/usr/bin/jupyterhub", "run .ci/setup (Debian's jupyterhub)"),
                       ("/usr/bin/jupyterhub-singleuser", "run .ci/setup (Debian's jupyterhub)")):
        if not os.path.exists(path):
            print(f"hub-check: FAILED: {path} is missing: {what}", flush=True)
            return 1
    try:
        import websocket  # noqa: F401
    except ImportError:
        print("hub-check: FAILED: python3-websocket is missing: run .ci/setup", flush=True)
        return 1

    tag = f"{os.getpid() % 100000}"
    users = [f"rlhub-a-{tag}", f"rlhub-b-{tag}"]
    created, hub, git_server, temp = [], None, None, tempfile.mkdtemp(prefix="redleaf-hub-check-")
    state = os.path.join(temp, "state")
    outcome = 1

    def on_signal(signum, _frame):
        raise SystemExit(f"hub-check: stopped by signal {signum}")
    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGHUP, on_signal)

    try:
        # The handout repository nbgitpuller hands out: a git repository every student can read.
        os.chmod(temp, 0o755)
        course = os.path.join(temp, "course")
        os.makedirs(course)
        shutil.copy(os.path.join(here, "hub-check.ipynb"), course)
        git = ["git", "-C", course, "-c", "user.name=course staff", "-c", "user.email=staff@localhost"]
        run(git[:3] + ["init", "-q", "-b", "main"])
        run(git + ["add", "hub-check.ipynb"])
        run(git + ["commit", "-q", "-m", "handout"])
        # Served over HTTP on 127.0.0.1 as a course's repository would be (git's "dumb" protocol): a
        # file:// URL would run git as the student inside a repository root owns, which git refuses.
        served = os.path.join(temp, "served")
        run(["git", "clone", "-q", "--bare", course, os.path.join(served, "course.git")])
        run(["git", "-C", os.path.join(served, "course.git"), "update-server-info"])
        git_server = serve_folder(served)
        repo_url = f"http://127.0.0.1:{git_server.server_port}/course.git"
        step(f"handout repository {repo_url}")

        for user in users:
            run(["useradd", "--create-home", "--key", "HOME_MODE=0700", "--shell", "/bin/bash",
                 "--comment", "redleaf hub-check student", user])
            created.append(user)
        step(f"created Unix users {', '.join(users)}")
        users_file = os.path.join(temp, "students.txt")
        with open(users_file, "w") as f:
            f.write("\n".join(users) + "\n")

        os.makedirs(state, mode=0o700)
        port = free_port_block()
        token = secrets.token_hex(32)
        hub = Hub(root, state, port, token, users_file)
        hub.wait_up(90)
        step(f"hub up on http://127.0.0.1:{port} (pid {hub.process.pid})")

        for user in users:
            server = hub.start_server(user, 120)
            step(f"{user}'s server ready at {server.get('url')}")

        results = {}
        for user in users:
            # depth=0: a full clone (the dumb protocol has no shallow clones; nbgitpuller's default is 1)
            query = urllib.parse.urlencode({"repo": repo_url, "branch": "main", "targetpath": "course", "depth": "0"})
            stream = hub.request("GET", f"/user/{user}/git-pull/api?{query}", timeout=120)
            events = [json.loads(line[6:]) for line in str(stream).splitlines() if line.startswith("data: ")]
            if not events or events[-1].get("phase") != "finished":
                fail(f"{user}: nbgitpuller did not finish: {events[-1] if events else stream!r}"[:800])
            model = hub.request("GET", f"/user/{user}/api/contents/course/hub-check.ipynb?content=1")
            home = pwd.getpwnam(user).pw_dir
            owner = os.stat(os.path.join(home, "course", "hub-check.ipynb")).st_uid
            if owner != pwd.getpwnam(user).pw_uid:
                fail(f"{user}: the handed-out notebook is owned by uid {owner}, not by the student")
            step(f"{user}: nbgitpuller handed out course/hub-check.ipynb (owned by {user})")

            begin = time.monotonic()
            kernel_id, executed = execute_notebook(hub, user, "redleaf-csharp", model["content"], args.cell_seconds)
            text = stdout_of(executed)
            hub.request("PUT", f"/user/{user}/api/contents/course/hub-check.executed.ipynb",
                        {"type": "notebook", "format": "json", "content": executed})
            step(f"{user}: executed the handout in kernel {kernel_id} in {time.monotonic() - begin:.1f} s")
            results[user] = (kernel_id, text)

        # While both kernels run: the hub, the proxy, the servers and the kernels listen on localhost only.
        listening = listening_addresses(descendants(hub.process.pid))
        exposed = [(pid, a, p) for pid, a, p in listening if a not in ("127.0.0.1", "::1")]
        if exposed:
            fail(f"processes of the hub listen beyond localhost: {exposed}")
        step(f"{len(listening)} listening sockets among the hub's processes and the kernels, all on localhost")

        uids = set()
        for user, (kernel_id, text) in results.items():
            entry = pwd.getpwnam(user)
            lines = dict(line.split(": ", 1) for line in text.splitlines() if ": " in line)
            if lines.get("stack") != "count Ok(3), pops Ok(3) Ok(2) Ok(1), then Ok(-1)":
                fail(f"{user}: the domain call printed {lines.get('stack')!r}, not the stack's answers")
            if lines.get("kernel user") != user:
                fail(f"{user}: the kernel says it runs as {lines.get('kernel user')!r}")
            pid = int(lines.get("kernel pid", "0"))
            uid = uid_of_process(pid)
            if uid != entry.pw_uid:
                fail(f"{user}: the kernel's process {pid} runs as uid {uid}, not {entry.pw_uid}")
            key = lines.get("machine key", "")
            if not key.startswith(entry.pw_dir + "/") or os.stat(key).st_uid != entry.pw_uid or os.stat(key).st_mode & 0o077:
                fail(f"{user}: the machine key {key!r} is not the student's own (in {entry.pw_dir}, mode 600)")
            uids.add(uid)
            step(f"{user}: kernel process {pid} runs as uid {uid} ({user}); domain answered; key {key}")
            step(f"{user}: the kernel's resident memory is {resident_mib(pid)} MiB")
            hub.request("DELETE", f"/user/{user}/api/kernels/{kernel_id}")
        if len(uids) != 2:
            fail(f"the two students' kernels ran under {len(uids)} uid(s)")

        # Collecting the work for grading (collect.sh): each student's notebooks, read as that student.
        # Student A also plants links to root's /etc/shadow and to B's notebook: neither is collected.
        a, b = users
        a_home, b_home = pwd.getpwnam(a).pw_dir, pwd.getpwnam(b).pw_dir
        run(["runuser", "-u", a, "--", "ln", "-s", "/etc/shadow", os.path.join(a_home, "course", "shadow.ipynb")])
        run(["runuser", "-u", a, "--", "ln", "-s", os.path.join(b_home, "course", "hub-check.executed.ipynb"),
             os.path.join(a_home, "course", "copied.ipynb")])
        submitted = os.path.join(temp, "submitted")
        collected = subprocess.run(["bash", os.path.join(here, "collect.sh"), users_file, "course", "hub-check", submitted],
                                   capture_output=True, text=True)
        if collected.returncode != 0:
            fail(f"collect.sh failed ({collected.returncode}): {collected.stdout}{collected.stderr}")
        for user in users:
            got = sorted(os.listdir(os.path.join(submitted, user, "hub-check")))
            if got != ["hub-check.executed.ipynb", "hub-check.ipynb"]:
                fail(f"collect.sh took {got} from {user}, not the two notebooks of the student's own")
            with open(os.path.join(submitted, user, "hub-check", "hub-check.executed.ipynb")) as f:
                if f"kernel user: {user}" not in f.read():
                    fail(f"the collected executed notebook of {user} is not the one {user}'s kernel wrote")
        step(f"collect.sh gathered each student's own notebooks into submitted/<student>/hub-check/ (links refused)")

        for user in users:
            hub.request("DELETE", f"/hub/api/users/{user}/server")
        step("stopped both servers through the hub")
        outcome = 0
    except CheckFailed as e:
        print(f"hub-check: FAILED: {e}", flush=True)
    except SystemExit as e:
        print(f"hub-check: FAILED: {e}", flush=True)
    except Exception:  # a bug here or an answer of an unexpected shape: fail loudly, still clean up
        import traceback
        print(f"hub-check: FAILED: {traceback.format_exc()}", flush=True)
    finally:
        problems = []
        if hub is not None:
            hub.stop()
        if git_server is not None:
            git_server.shutdown()
            git_server.server_close()
            if outcome != 0:
                print("---- hub log (last lines) ----\n" + hub.log_tail(), flush=True)
        for user in created:
            try:
                leftover = kill_processes_of(pwd.getpwnam(user).pw_uid)
                if leftover:
                    problems.append(f"{leftover} process(es) of {user} would not end")
            except KeyError:
                pass
            try:
                uid = pwd.getpwnam(user).pw_uid
                for scratch in ("/tmp", "/var/tmp", "/dev/shm"):  # anything the student left in shared scratch
                    for name in os.listdir(scratch):
                        path = os.path.join(scratch, name)
                        try:
                            if os.lstat(path).st_uid == uid:
                                shutil.rmtree(path) if os.path.isdir(path) and not os.path.islink(path) else os.remove(path)
                        except FileNotFoundError:  # gone meanwhile (removed by its maker as it ended)
                            pass
            except (KeyError, OSError) as e:
                problems.append(f"scratch files of {user}: {e}")
            result = subprocess.run(["userdel", "--remove", user], capture_output=True, text=True)
            if result.returncode not in (0, 12):  # 12: the home could not be removed (reported below)
                problems.append(f"userdel {user}: {result.stderr.strip()}")
            if os.path.exists(f"/home/{user}"):
                shutil.rmtree(f"/home/{user}", ignore_errors=True)
        shutil.rmtree(temp, ignore_errors=True)
        if problems:
            print(f"hub-check: FAILED to clean up: {'; '.join(problems)}", flush=True)
            outcome = 1
    elapsed = time.monotonic() - started
    if outcome == 0:
        print(f"hub-check: passed in {elapsed:.1f} s (two students, two kernels as two uids, hub on localhost only)", flush=True)
    return outcome


if __name__ == "__main__":
    sys.exit(main())
