# description: A web browser: the gui profile plus the network, ~/Downloads and the browser's own state read-write.
include gui
share-net
# Name resolution when /etc/resolv.conf points into /run.
ro-try /run/systemd/resolve
rw-try ${HOME}/Downloads
rw-try ${HOME}/.mozilla
rw-try ${HOME}/.cache/mozilla
rw-try ${HOME}/.config/chromium
rw-try ${HOME}/.cache/chromium
