# description: A web browser: the gui profile plus the network, ~/Downloads and the browser's own state read-write.
include gui
share-net
# Name resolution when /etc/resolv.conf points into /run.
ro-try /run/systemd/resolve
rw-try ${HOME}/Downloads
# The browsers' own state, made on the first run (0700) so that bookmarks, history and logins persist
# from it: Firefox's two places and its cache, Chromium's.
rw-create ${HOME}/.mozilla
rw-create ${XDG_CONFIG_HOME}/mozilla
rw-create ${XDG_CACHE_HOME}/mozilla
rw-create ${XDG_CONFIG_HOME}/chromium
rw-create ${XDG_CACHE_HOME}/chromium
