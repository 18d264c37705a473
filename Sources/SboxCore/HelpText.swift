/// `sbox --help`, generated from the option table so that it cannot drift from the parser.
public enum HelpText {
    public static let version = "0.1.0"

    public static var usage: String {
        var text = subcommands + """

        Runs COMMAND in a new rootless sandbox: new user, mount, PID, IPC, UTS, network and
        cgroup namespaces, an empty read-only root built from the options below, no capabilities,
        no_new_privs, a seccomp filter, Landlock where the kernel has it, a new session.\
         Exit status: the program's; 128+N if killed by signal N;
        124 if --timeout ended it, 125 if sbox failed, 126 if COMMAND cannot be executed, 127 if not found.

        A profile applies first: --profile NAME, or 'default' (see sbox profiles); --profile none for
        none. Every option below is also a profile directive: the same words without the dashes.

        """
        for section in OptionSection.allCases {
            text += "\n\(section.rawValue):\n"
            for spec in OptionTable.all where spec.section == section {
                let left = ([spec.flag] + spec.arguments).joined(separator: " ")
                let pad = String(repeating: " ", count: max(1, 28 - left.count))
                text += "  \(left)\(pad)\(spec.summary)\n"
            }
        }
        return text
    }

    /// The usage lines: run's, then each other subcommand's with what it does, in a column (on the
    /// next line when the usage is too long for the line to stay within 100 columns).
    static var subcommands: String {
        var text = "Usage: sbox " + Subcommand.run.synopsis + "\n"
        for subcommand in Subcommand.allCases {
            guard let summary = subcommand.summary else { continue }
            let usage = "       sbox " + subcommand.synopsis
            if usage.count < 41 {
                text += usage + String(repeating: " ", count: 41 - usage.count) + summary + "\n"
            } else if usage.count + 3 + summary.count <= 100 {
                text += usage + "   " + summary + "\n"
            } else {
                text += usage + "\n" + String(repeating: " ", count: 41) + summary + "\n"
            }
        }
        return text
    }

    /// bwrap's --help: its usage line with the name it was invoked by, then every option it accepts,
    /// one line each (callers probe this text for the options they need).
    public static func bwrapUsage(invokedAs name: String) -> String {
        var text = "usage: \(name) [OPTIONS...] [--] COMMAND [ARGS...]\n\n"
        for spec in OptionTable.all where spec.isBwrapOption {
            let left = ([spec.flag] + spec.arguments).joined(separator: " ")
            let pad = String(repeating: " ", count: max(1, 29 - left.count))
            text += "    \(left)\(pad)\(spec.bwrapSummary)\n"
        }
        return text + "\n(sbox \(version) as bubblewrap 0.11.1)"
    }
}
