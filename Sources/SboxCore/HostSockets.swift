/// The host's sockets a plan exposes, and what each gives the program: a unix socket connects through
/// a read-only bind, and the service behind it acts with the user's (or the machine's) authority.
public struct ExposedSocket: Equatable, Sendable {
    public var path: ByteString
    public var note: String
    public var origin: Origin
}

public enum HostSockets {
    /// The well-known places, for the caller's session; a directory stands for every socket in it.
    static func known(_ host: HostContext) -> [(path: ByteString, note: String)] {
        let variables = ProfileVariables(host: host)
        var places: [(ByteString, String)] = [
            ("/tmp/.X11-unix", "X11: the program can read what you type in every window of that display and what they show, "
                + "and type into them, a terminal included"),
            ("/run/dbus/system_bus_socket", "the system bus: asks the machine's services (systemd, NetworkManager, polkit...)"),
            ("/run/docker.sock", "the Docker daemon: root on the host"), ("/var/run/docker.sock", "the Docker daemon: root on the host"),
            ("/run/podman/podman.sock", "Podman: containers as root"), ("/run/systemd/private", "systemd: starts and stops services"),
            ("/dev/dri", "the GPU: its driver's kernel interface (not a socket, but a large attack surface)"),
        ]
        if let runtime = variables.value(of: "XDG_RUNTIME_DIR")?.normalized {
            places += [
                (runtime.appending("bus"), "the session bus: every desktop service of yours (files, secrets, notifications, starting programs)"),
                (runtime.appending("wayland-0"), "Wayland: windows of its own; the compositor keeps other windows from it"),
                (runtime.appending("pulse"), "PulseAudio: plays sound, and records from the microphone"),
                (runtime.appending("pipewire-0"), "PipeWire: sound, the microphone, and cameras and screen capture where the session allows"),
                (runtime.appending("gnupg"), "gpg-agent: decrypts and signs with your keys"),
                (runtime.appending("systemd"), "your systemd: starts and stops your services"),
                (runtime.appending("docker.sock"), "a rootless Docker daemon: every container of yours"),
            ]
        }
        if let agent = variables.value(of: "SSH_AUTH_SOCK"), agent.isAbsolute {
            places.append((agent.normalized, "ssh-agent: signs in to every host your keys open"))
        }
        return places
    }

    /// The known sockets that the plan shows as the host's, each with the step that exposes it.
    public static func exposed(by plan: Plan, host: HostContext) -> [ExposedSocket] {
        var sockets: [ExposedSocket] = []
        for (path, note) in known(host) {
            guard case .host = plan.provider(of: path), let step = plan.coveringStep(of: path) else { continue }
            sockets.append(ExposedSocket(path: path, note: note, origin: step.origin))
        }
        return sockets
    }
}
