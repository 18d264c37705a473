# description: /usr and its merged-/usr links read-only: what any program from /usr needs; a base for other profiles.
# ro shows a path as it is on the host: on a merged-/usr system /bin is the link usr/bin, elsewhere
# it is a directory bound read-only. The -try forms skip what a distribution does not have.
ro /usr
ro-try /bin
ro-try /sbin
ro-try /lib
ro-try /lib32
ro-try /lib64
ro-try /libx32
