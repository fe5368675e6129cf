#!/bin/sh
# domains/rv6/user/mklinks.sh: writes each program's link.txt, which compiles the user library (ulib/)
# into it. Run it after adding a file to ulib/ or a program folder.
cd "$(dirname "$0")"
for d in */; do
  d=${d%/}
  [ "$d" = ulib ] && continue
  [ -f "$d/$d.cs" ] || continue
  {
    echo "# $d: the user library (rv6/user/ulib), compiled into every rv6 program (written by ../mklinks.sh)"
    for f in ulib/*.cs; do echo "rv6/user/$f"; done
  } > "$d/link.txt"
done
