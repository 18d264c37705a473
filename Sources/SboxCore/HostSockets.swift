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
            ("/tmp/.X11-unix", "X11: the program can read what you type in every window of that display "
                + "and what they show, and type into them, a terminal included"),
            ("/run/dbus/system_bus_socket",
             "the system bus: asks the machine's services (systemd, NetworkManager, polkit...)"),
            ("/run/docker.sock", "the Docker daemon: root on the host"),
            ("/var/run/docker.sock", "the Docker daemon: root on the host"),
            ("/run/podman/podman.sock", "Podman: containers as root"),
            ("/run/systemd/private", "systemd: starts and stops services"),
            ("/dev/dri", "the GPU: its driver's kernel interface (not a socket, but a large attack surface)"),
        ]
        if let runtime = variables.value(of: "XDG_RUNTIME_DIR")?.normalized {
            places += [
                (runtime.appending("bus"),
                 "the session bus: every desktop service of yours (files, secrets, notifications, starting programs)"),
                (runtime.appending("wayland-0"),
                 "Wayland: windows of its own; the compositor keeps other windows from it"),
                (runtime.appending("pulse"), "PulseAudio: plays sound, and records from the microphone"),
                (runtime.appending("pipewire-0"),
                 "PipeWire: sound, the microphone, and cameras and screen capture where the session allows"),
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

    /// The known sockets that the plan shows as the host's, and the session's sockets it exposes
    /// (x11, wayland...), each with the step that exposes it.
    public static func exposed(by plan: Plan, host: HostContext) -> [ExposedSocket] {
        let places = known(host)
        var sockets: [ExposedSocket] = []
        for (path, note) in places {
            guard case .host = plan.provider(of: path), let step = plan.coveringStep(of: path) else { continue }
            if case .socket = step.step { continue }  // below
            sockets.append(ExposedSocket(path: path, note: note, origin: step.origin))
        }
        for mount in plan.mounts {
            guard case .socket(let source, _) = mount.step else { continue }
            // The note of the known place it is in or is: the X11 directory, the runtime directory's names.
            let note = places.first { source.isWithin($0.path) }?.note
                ?? places.first {
                    $0.path.lastComponent.hasPrefix("wayland") && source.lastComponent.hasPrefix("wayland")
                }?.note
                ?? places.first {
                    $0.path.lastComponent.hasPrefix("pipewire") && source.lastComponent.hasPrefix("pipewire")
                }?.note
                ?? "a socket of the session: the service behind it acts for the program"
            sockets.append(ExposedSocket(path: source, note: note, origin: mount.origin))
        }
        return sockets
    }
}
