/// `x11`, `wayland`, `pulseaudio`, `pipewire`: the sockets the caller's session names, each alone
/// (never its directory), and the variables set inside to what was exposed, so that the program
/// finds them. A variable that is unset or names something sbox will not expose (a relative path,
/// sbox's own files; at run time, anything that is not a socket) exposes nothing, and explain says
/// so: a launcher is never stopped by it.
public enum SessionService: String, CaseIterable, Sendable {
    case x11, wayland, pulseaudio, pipewire
}

public struct SessionPlan: Equatable, Sendable {
    public var steps: [MountStep] = []
    /// `NAME=value`, set in the program's environment.
    public var environment: [ByteString] = []
    /// What explain says: where the socket came from, or why there is none.
    public var note: String
}

extension SessionService {
    /// Where the X server's cookie for the sandbox goes (a file of its own, the display's entry only).
    public static let xauthorityInside: ByteString = "/run/sbox/Xauthority"
    /// X11 displays inside, when the host's network is shared, are renumbered by this much: the X
    /// server's abstract socket for the real number is then out of the program's reach (Landlock
    /// refuses it, and libxcb only falls back to the path socket when nothing answers).
    public static let sharedNetworkDisplayOffset = 1000

    func plan(host: HostContext, sharesNetwork: Bool, own: [ByteString]) -> SessionPlan {
        let variables = ProfileVariables(host: host)
        let runtime = variables.value(of: "XDG_RUNTIME_DIR")?.normalized
        func socket(_ path: ByteString, named variable: String, set name: String, to value: ByteString) -> SessionPlan {
            if let mine = own.first(where: { path.isWithin($0) }) {
                return SessionPlan(note: "\(rawValue): \(variable) names sbox's own files (\(mine)): nothing exposed")
            }
            return SessionPlan(steps: [.socket(source: path, destination: path)],
                               environment: [ByteString(name + "=") + value],
                               note: "\(rawValue): \(path), from \(variable) (only if it is a socket)")
        }
        func underRuntime(_ name: ByteString, _ variable: String) -> Result<ByteString, SessionPlanNote> {
            if name.contains(UInt8(ascii: "/")) {
                guard name.isAbsolute, !name.split(separator: UInt8(ascii: "/")).contains("..") else {
                    return .failure(SessionPlanNote("\(rawValue): \(variable)=\(name) "
                                                    + "is neither a name nor an absolute path: nothing exposed"))
                }
                return .success(name.normalized)
            }
            guard name != "..", name != ".", !name.isEmpty else {
                return .failure(SessionPlanNote("\(rawValue): \(variable)=\(name) is no socket's name"))
            }
            guard let runtime else {
                return .failure(SessionPlanNote("\(rawValue): $XDG_RUNTIME_DIR is not set: nothing exposed"))
            }
            return .success(runtime.appending(name))
        }
        switch self {
        case .x11: return x11(variables: variables, host: host, sharesNetwork: sharesNetwork, own: own)
        case .wayland:
            let name = variables.environmentValue("WAYLAND_DISPLAY") ?? "wayland-0"
            switch underRuntime(name, "$WAYLAND_DISPLAY") {
            case .success(let path): return socket(path, named: "$WAYLAND_DISPLAY", set: "WAYLAND_DISPLAY", to: path)
            case .failure(let note): return SessionPlan(note: note.text)
            }
        case .pipewire:
            let name = variables.environmentValue("PIPEWIRE_REMOTE") ?? "pipewire-0"
            switch underRuntime(name, "$PIPEWIRE_REMOTE") {
            case .success(let path): return socket(path, named: "$PIPEWIRE_REMOTE", set: "PIPEWIRE_REMOTE", to: path)
            case .failure(let note): return SessionPlan(note: note.text)
            }
        case .pulseaudio:
            guard let server = variables.environmentValue("PULSE_SERVER") else {
                guard let runtime else {
                    return SessionPlan(note: "pulseaudio: $XDG_RUNTIME_DIR is not set: nothing exposed")
                }
                let path = runtime.appending("pulse").appending("native")
                return socket(path, named: "$XDG_RUNTIME_DIR", set: "PULSE_SERVER", to: "unix:" + path)
            }
            // A list of servers; the first local one, by path.
            for address in server.split(separator: UInt8(ascii: " ")) where address.hasPrefix("unix:") {
                let path = address.dropFirst(5)
                guard path.isAbsolute, !path.split(separator: UInt8(ascii: "/")).contains("..") else { continue }
                return socket(path.normalized, named: "$PULSE_SERVER", set: "PULSE_SERVER",
                              to: "unix:" + path.normalized)
            }
            return SessionPlan(note: "pulseaudio: $PULSE_SERVER=\(server) names no local socket: nothing exposed")
        }
    }

    private func x11(variables: ProfileVariables, host: HostContext, sharesNetwork: Bool,
                     own: [ByteString]) -> SessionPlan {
        guard let display = variables.environmentValue("DISPLAY") else {
            return SessionPlan(note: "x11: $DISPLAY is not set: nothing exposed")
        }
        guard let parsed = XDisplay(display) else {
            return SessionPlan(note: "x11: $DISPLAY=\(display) is a display over the network (or no display): "
                + "no socket; the program reaches it only with the network")
        }
        let inside = sharesNetwork ? parsed.number + Self.sharedNetworkDisplayOffset : parsed.number
        let source = ByteString("/tmp/.X11-unix/X\(parsed.number)"),
            destination = ByteString("/tmp/.X11-unix/X\(inside)")
        var plan = SessionPlan(steps: [.socket(source: source, destination: destination)],
                               environment: [ByteString("DISPLAY=:\(inside)" + (parsed.screen.map { ".\($0)" } ?? ""))],
                               note: "x11: \(source), from $DISPLAY=\(display)"
                                   + (inside == parsed.number ? ""
                                      : ", as :\(inside) (the host's network is shared: "
                                        + "another number keeps the server's abstract socket out of reach)")
                                   + " (only if it is a socket)")
        let cookies = variables.environmentValue("XAUTHORITY")
            ?? host.home.map { $0.normalized.appending(".Xauthority") }
        if let cookies, cookies.isAbsolute, !own.contains(where: { cookies.normalized.isWithin($0) }) {
            plan.steps.append(.xauthority(source: cookies.normalized, display: ByteString(String(parsed.number)),
                                          as: ByteString(String(inside)), destination: Self.xauthorityInside))
            plan.environment.append("XAUTHORITY=" + Self.xauthorityInside)
            plan.note += "; its cookie from \(cookies) (that display's entry only)"
        }
        return plan
    }
}

struct SessionPlanNote: Error {
    let text: String
    init(_ text: String) { self.text = text }
}

/// `:N`, `:N.S`, `unix:N`, `unix:N.S`: a local X display and its screen.
struct XDisplay {
    let number: Int
    let screen: Int?

    init?(_ value: ByteString) {
        var text = value.lossy
        if text.hasPrefix("unix:") { text.removeFirst(4) }
        guard text.hasPrefix(":") else { return nil }
        let parts = text.dropFirst().split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count <= 2, let number = Int(parts[0]), number >= 0, number < 65536 else { return nil }
        let screen = parts.count == 2 ? Int(parts[1]) : nil
        if parts.count == 2 && screen == nil { return nil }
        self.number = number
        self.screen = screen
    }
}
