#!/usr/bin/env bash
# kernel-ext/jupyterhub/collect.sh STUDENTS FOLDER ASSIGNMENT SUBMITTED: collects a handout from every
# student of the course's hub (run as root) into nbgrader's layout for `./redleaf grade`:
#   SUBMITTED/<student>/ASSIGNMENT/<notebook>.ipynb
# STUDENTS is the hub's list of students (one user name a line, # comments allowed); FOLDER is where the
# notebooks are in each student's home (nbgitpuller's target, e.g. course/handouts/release/01-write-a-domain).
# Each student's files are read AS THAT STUDENT (runuser), so a notebook that is a symbolic link to
# another student's work or to a file of root's is read with the student's own rights and refused;
# only regular *.ipynb files of at most 20 MiB are taken. Prints one line per student; exit 1 if a
# student's folder could not be read (the others are still collected).
set -euo pipefail
die() { echo "collect: $*" >&2; exit 2; }
[ $# -eq 4 ] || die "usage: $0 STUDENTS FOLDER ASSIGNMENT SUBMITTED"
students="$1"; folder="$2"; assignment="$3"; out="$4"
[ "$(id -u)" -eq 0 ] || die "run as root (it reads every student's home as that student)"
[ -f "$students" ] || die "no list of students at $students"
case "$folder$assignment" in *..*) die "FOLDER and ASSIGNMENT may not contain '..'";; esac
case "$assignment" in */*|"") die "ASSIGNMENT is one folder name";; esac
limit=$((20 * 1024 * 1024))
status=0
while IFS= read -r student || [ -n "$student" ]; do
  student="${student%%#*}"; student="$(echo "$student" | tr -d '[:space:]')"
  [ -n "$student" ] || continue
  home="$(getent passwd "$student" | cut -d: -f6)" || { echo "collect: $student: no such user"; status=1; continue; }
  src="$home/$folder"
  # The list of regular files, made by the student: a symbolic link is not a regular file for find -type f.
  if ! names="$(runuser -u "$student" -- find "$src" -maxdepth 1 -type f -name '*.ipynb' -printf '%f\n' 2>/dev/null)"; then
    echo "collect: $student: cannot read $src"
    status=1
    continue
  fi
  dest="$out/$student/$assignment"
  mkdir -p "$dest"
  taken=0
  while IFS= read -r name; do
    [ -n "$name" ] || continue
    # Read as the student: even a link swapped in after the listing reaches only what the student may
    # read anyway; links are still skipped, so a submission is the student's own file.
    if runuser -u "$student" -- test -L "$src/$name"; then echo "collect: $student: $name is a link, skipped"; continue; fi
    if ! runuser -u "$student" -- head -c $((limit + 1)) -- "$src/$name" > "$dest/$name.part"; then
      echo "collect: $student: cannot read $name, skipped"; rm -f "$dest/$name.part"; continue
    fi
    if [ "$(stat -c %s "$dest/$name.part")" -gt "$limit" ]; then
      echo "collect: $student: $name is over 20 MiB, skipped"; rm -f "$dest/$name.part"; continue
    fi
    mv "$dest/$name.part" "$dest/$name"
    taken=$((taken + 1))
  done <<< "$names"
  echo "collect: $student: $taken notebook(s) into $dest"
done < "$students"
exit "$status"
