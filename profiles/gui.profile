# description: Desktop programs without network: the default profile plus the display (Wayland, X11), sound and the GPU.
include default
# Wayland and X11. The X11 socket is a file in /tmp/.X11-unix (abstract sockets stay with the host's network).
# X11 has no isolation between clients: a program with the X11 socket can read other windows and
# type into them (a host terminal included). On a Wayland desktop, add "hide /tmp/.X11-unix".
ro-try ${XDG_RUNTIME_DIR}/wayland-0
ro-try /tmp/.X11-unix
ro-try ${HOME}/.Xauthority
# Sound: PulseAudio or PipeWire.
ro-try ${XDG_RUNTIME_DIR}/pulse
ro-try ${XDG_RUNTIME_DIR}/pipewire-0
# The GPU, and the user's fonts and themes.
dev-bind-try /dev/dri /dev/dri
ro-try ${XDG_DATA_HOME}/fonts
ro-try ${XDG_CONFIG_HOME}/fontconfig
ro-try ${XDG_CONFIG_HOME}/gtk-3.0
