#!/bin/sh
# Rebuilds the fuzz seeds from seed.c (cd platform/linux/testdata && sh gen.sh).
set -e; F="-Os -g0 -fno-asynchronous-unwind-tables -fno-ident"; gcc $F -fPIC -fno-plt -c seed.c -o seed_pic.o; gcc $F -fno-pic -c seed.c -o seed_nopic.o; gcc $F -mcmodel=large -fPIC -c seed.c -o seed_large.o; gcc $F -shared -fPIC -nostdlib seed.c -Wl,-soname,libseed.so,--version-script=seed.map,--unresolved-symbols=ignore-all,-z,max-page-size=4096,-z,noseparate-code,--build-id=none -s -o libseed.so
