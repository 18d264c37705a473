/// `drop-credentials`: the caller's environment keeps what programs need (build settings, locale,
/// the terminal) and loses what is shaped like a credential (tokens, keys, passwords, cloud
/// accounts, agents' sockets) or injects code into every program (the dynamic loader's variables).
/// A CI job is where tokens live in the environment, and where a test suite runs code nobody read.
enum CredentialVariables {
    /// Anywhere in the name, in any case.
    static let fragments: [ByteString] = ["TOKEN", "SECRET", "PASSWORD", "PASSWD", "PASSPHRASE", "CREDENTIAL",
                                          "API_KEY", "APIKEY", "PRIVATE_KEY", "PRIVKEY", "ACCESS_KEY", "KEYFILE",
                                          "JWT", "_AUTH", "AUTHORIZATION", "COOKIE"]
    static let prefixes: [ByteString] = ["AWS_", "AZURE_"]
    static let suffixes: [ByteString] = ["_KEY", "_PAT", "_PASS", "_PWD", "_DSN", "_WEBHOOK", "_WEBHOOK_URL"]
    static let agents: [ByteString] = ["SSH_AUTH_SOCK", "GPG_AGENT_INFO", "KRB5CCNAME", "DBUS_SESSION_BUS_ADDRESS"]
    static let loader: [ByteString] = ["LD_PRELOAD", "LD_AUDIT", "LD_LIBRARY_PATH", "GCONV_PATH", "GLIBC_TUNABLES"]

    /// Why the variable `name=value` is dropped, or nil when it stays: its name, or a URL in its
    /// value that carries a password (`https_proxy=http://user:pw@proxy`, `DATABASE_URL`).
    static func reason(for name: ByteString, value: ByteString) -> String? {
        reason(for: name) ?? (hasPasswordInURL(value) ? "a URL with a password" : nil)
    }

    /// `scheme://user:password@host`: a colon in the user part of any URL's authority.
    static func hasPasswordInURL(_ value: ByteString) -> Bool {
        var next = 0
        while let separator = value.range(of: "://", from: next) {
            next = separator.lowerBound + 1
            let authority = value.bytes[separator.upperBound...].prefix { !"/?# ".utf8.contains($0) }
            if let at = authority.lastIndex(of: UInt8(ascii: "@")),
               authority[..<at].contains(UInt8(ascii: ":")) { return true }
        }
        return false
    }

    /// Fragments that are a word's start elsewhere: TOKENIZERS_PARALLELISM, GIT_AUTHOR_NAME.
    static let wholeWords: [ByteString] = ["TOKEN", "_AUTH"]

    /// `fragment` in `name`; for a whole word, somewhere not followed by a letter.
    static func contains(_ name: ByteString, _ fragment: ByteString) -> Bool {
        guard wholeWords.contains(fragment) else { return name.contains(fragment) }
        var next = 0
        while let found = name.range(of: fragment, from: next) {
            next = found.lowerBound + 1
            if found.upperBound == name.count || !(name.bytes[found.upperBound] >= 0x41
                                                   && name.bytes[found.upperBound] <= 0x5a) { return true }
        }
        return false
    }

    /// Why the variable is dropped, by its name alone, or nil. Bytes, not Characters: a combining
    /// mark after TOKEN does not hide it.
    static func reason(for name: ByteString) -> String? {
        let upper = ByteString(name.bytes.map { $0 >= 0x61 && $0 <= 0x7a ? $0 - 0x20 : $0 })
        if loader.contains(upper) { return "injects code into every program" }
        if agents.contains(upper) { return "reaches an agent or a session's services" }
        if let fragment = fragments.first(where: { contains(upper, $0) }) { return "credential-shaped (\(fragment))" }
        if let suffix = suffixes.first(where: { upper.hasSuffix($0) }) { return "credential-shaped (*\(suffix))" }
        if let prefix = prefixes.first(where: { upper.hasPrefix($0) }) { return "a cloud account's (\(prefix)*)" }
        return nil
    }

    /// The session bus when every address it gives is a socket the plan exposes as the host's.
    static func exposesTheSessionBus(_ value: ByteString, in plan: Plan) -> Bool {
        let addresses = value.split(separator: UInt8(ascii: ";")).filter { !$0.isEmpty }
        return !addresses.isEmpty && addresses.allSatisfy { address in
            guard address.hasPrefix("unix:") else { return false }
            let path = address.dropFirst(5).split(separator: UInt8(ascii: ","))
                .first { $0.hasPrefix("path=") }?.dropFirst(5)
            guard let path, path.isAbsolute, case .host = plan.provider(of: path.normalized) else { return false }
            return true
        }
    }
}

/// A variable of the caller's that the program does not get.
public struct DroppedVariable: Equatable, Sendable {
    public var name: ByteString
    public var reason: String
}

/// `keepenv PATTERN`: a name, or a glob with `*` and `?`.
struct VariablePattern: Equatable, Sendable {
    let pattern: ByteString

    /// In one pass with one step back to the last `*` (no recursion: a pattern of many stars
    /// against a long name takes linear time per star, not exponential).
    func matches(_ name: ByteString) -> Bool {
        let pattern = pattern.bytes, name = name.bytes
        var p = 0, n = 0
        var star: (pattern: Int, name: Int)?
        while n < name.count {
            if p < pattern.count && (pattern[p] == UInt8(ascii: "?") || pattern[p] == name[n]) {
                p += 1
                n += 1
            } else if p < pattern.count && pattern[p] == UInt8(ascii: "*") {
                star = (p, n)
                p += 1
            } else if let last = star {
                // The last star takes one more byte of the name.
                p = last.pattern + 1
                n = last.name + 1
                star = (last.pattern, last.name + 1)
            } else {
                return false
            }
        }
        while p < pattern.count && pattern[p] == UInt8(ascii: "*") { p += 1 }
        return p == pattern.count
    }
}
