/// Desktop entries (freedesktop.org .desktop files) whose programs start in sbox: `sbox desktop`.
/// Pure text: reading and writing the files is the command line's.
public enum DesktopEntry {
    /// The key that marks a copy as sbox's, with the profile it uses: `sbox desktop list` and
    /// `remove` touch only files that have it.
    public static let marker = "X-Sbox-Profile"

    /// `text` with every `Exec=` line (the main entry's and every action's) prefixed with
    /// `sbox --profile PROFILE --`, field codes (%U, %f...) left as they are. D-Bus activation is
    /// turned off: a launcher would otherwise start the program through D-Bus, without the Exec line.
    /// An entry that is already sbox's is prefixed again with the new profile only.
    /// `sbox`: the path of the sbox binary to run (a launcher does not search a PATH it may not have).
    /// The files the launcher passes (%f, %u) are exposed, each alone, read-only (expose-args).
    public static func sandboxed(_ text: String, profile: String, sbox: String = "sbox") throws(UsageError) -> String {
        var lines: [String] = []
        var group = ""
        var keys: Set<String> = []
        var sawExec = false
        // The marker ends the main group, before the blank lines that separate it from the next.
        func mark() {
            var index = lines.count
            while index > 0 && lines[index - 1].isEmpty { index -= 1 }
            lines.insert(marker + "=" + profile, at: index)
        }
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasPrefix("[") {
                if group == "Desktop Entry" { mark() }
                group = String(line.dropFirst().prefix { $0 != "]" })
                keys = []
                lines.append(String(line))
                continue
            }
            guard let (key, value) = entry(line) else {
                lines.append(String(line))
                continue
            }
            // The specification forbids a key twice in a group; which one a launcher reads is its choice.
            guard keys.insert(key).inserted else {
                throw UsageError("the desktop entry has the key \(key) twice in [\(group)]: "
                                 + "refused, as a launcher might run either")
            }
            if key == marker { continue }
            if group == "Desktop Entry" && key == "DBusActivatable" {
                lines.append("DBusActivatable=false")
                continue
            }
            if (group == "Desktop Entry" || group.hasPrefix("Desktop Action ")) && key == "Exec" {
                sawExec = true
                lines.append("Exec=" + quoted(sbox) + " --profile " + profile + " --expose-args ro -- "
                             + unsandboxed(value))
                continue
            }
            lines.append(String(line))
        }
        if group == "Desktop Entry" { mark() }
        guard sawExec else { throw UsageError("the desktop entry has no Exec= line to run in sbox") }
        return lines.joined(separator: "\n")
    }

    /// A `Key=value` line as the specification reads it: blanks around `=` are not part of either
    /// (`Exec = cmd` is Exec); comments and blank lines are none.
    static func entry(_ line: Substring) -> (key: String, value: String)? {
        guard !line.hasPrefix("#"), let equals = line.firstIndex(of: "=") else { return nil }
        let key = line[..<equals].trimmingBlanks
        guard !key.isEmpty else { return nil }
        return (String(key), String(line[line.index(after: equals)...].drop { $0 == " " || $0 == "\t" }))
    }

    /// The command of an Exec= value without an earlier `SBOX --profile P [--expose-args M] --` prefix.
    static func unsandboxed(_ command: String) -> String {
        // The first word may be quoted (a path with a blank).
        var rest = Substring(command), program = Substring("")
        if rest.hasPrefix("\"") {
            var escaped = false
            guard let end = rest.dropFirst().firstIndex(where: { character in
                defer { escaped = character == "\\" && !escaped }
                return character == "\"" && !escaped
            }) else { return command }
            program = rest[rest.index(after: rest.startIndex)..<end]
            rest = rest[rest.index(after: end)...]
        } else {
            program = rest.prefix { $0 != " " }
            rest = rest.dropFirst(program.count)
        }
        let words = rest.drop { $0 == " " }.split(separator: " ", maxSplits: 5, omittingEmptySubsequences: false)
        guard program.hasSuffix("sbox"), words.count >= 4, words[0] == "--profile" else { return command }
        if words[2] == "--" { return words.dropFirst(3).joined(separator: " ") }
        guard words.count == 6, words[2] == "--expose-args", words[4] == "--" else { return command }
        return String(words[5])
    }

    /// An Exec= argument as the specification quotes it: in double quotes when it holds a reserved
    /// character, with `"`, `` ` ``, `$` and `\` escaped.
    static func quoted(_ argument: String) -> String {
        let reserved = " \t\n\"'\\><~|&;$*?#()`"
        guard argument.contains(where: { reserved.contains($0) }) else { return argument }
        var text = "\""
        for character in argument {
            if "\"`$\\".contains(character) { text += "\\" }
            text.append(character)
        }
        return text + "\""
    }

    /// The profile a copy names, if it is sbox's.
    public static func profile(of text: String) -> String? {
        for line in text.split(separator: "\n") {
            if let (key, value) = entry(line), key == marker { return value }
        }
        return nil
    }

    /// The profile to use when none is given: one named after the application (its file name, or the
    /// last part of a reverse-DNS name, lowercased) if it exists, else `gui`.
    public static func defaultProfile(forFile name: String, available: [String]) -> String {
        let base = name.hasSuffix(".desktop") ? String(name.dropLast(8)) : name
        let short = String(base.split(separator: ".").last ?? Substring(base)).lowercased()
        for candidate in [base, short] where available.contains(candidate) { return candidate }
        return "gui"
    }
}

extension Substring {
    /// Without blanks (spaces, tabs) at either end.
    var trimmingBlanks: Substring {
        let text: (Character) -> Bool = { $0 != " " && $0 != "\t" }
        guard let first = firstIndex(where: text), let last = lastIndex(where: text) else { return "" }
        return self[first...last]
    }
}
