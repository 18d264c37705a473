import SboxCore
import Testing

struct CompletionTests {
    @Test func everyShellCompletesEveryOption() {
        for shell in Completion.Shell.allCases {
            let script = Completion.script(for: shell)
            for spec in OptionTable.all {
                let written = shell == .fish ? "-l \(spec.name.rawValue) " : spec.flag
                #expect(script.contains(written), "\(shell): \(spec.flag) is missing")
            }
        }
    }

    @Test func argumentsCompleteByKind() {
        let bash = Completion.script(for: .bash)
        #expect(bash.contains("--bind) kinds=(file file) ;;"))
        #expect(bash.contains("--profile) kinds=(profile) ;;"))
        #expect(bash.contains("--cap-add) kinds=(capability) ;;"))
        #expect(bash.contains("--uid) kinds=(none) ;;"))
        #expect(
            Completion.script(for: .zsh).contains(
                "'*--seccomp-action[What a refused system call gets\\: errno (EPERM, default), enosys, kill, "
                    + "log]:action:(errno enosys kill log)'"
            ))
    }
}
