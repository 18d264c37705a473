# description: Desktop programs without network: the default profile plus the display (Wayland, X11), sound and the GPU.
include default
# The session's display and sound, as its variables name them: each socket alone (never its
# directory), and DISPLAY, XAUTHORITY, WAYLAND_DISPLAY, PULSE_SERVER, PIPEWIRE_REMOTE set inside.
# X11 has no isolation between clients: a program with the X11 socket can read other windows and
# type into them (a host terminal included). On a Wayland desktop, start sbox with DISPLAY unset.
x11
wayland
pulseaudio
pipewire
# The GPU, and the user's fonts and themes.
dev-bind-try /dev/dri /dev/dri
ro-try ${XDG_DATA_HOME}/fonts
ro-try ${XDG_CONFIG_HOME}/fontconfig
ro-try ${XDG_CONFIG_HOME}/gtk-3.0
