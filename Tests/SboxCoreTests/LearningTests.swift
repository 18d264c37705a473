@testable import SboxCore
import Testing

@Suite struct LearningTests {
    let host = HostContext(uid: 1000, gid: 100, environment: ["HOME=/home/u"], currentDirectory: "/home/u/project")

    func base(_ arguments: [String]) throws -> Plan {
        let invocation = try CommandLineParser.parse(arguments + ["--", "tool", "--flag"])
        return try PlanCompiler.compile(invocation, host: host)
    }

    /// The host of these tests: these paths exist, /usr/local is /opt/local.
    let files = LearnedProfile.Host(exists: { ["/home/u/.config/tool/settings.ini", "/home/u/.config/tool", "/home/u/project", "/home/u/.cache",
                                              "/var/lib/tool/db", "/var/lib/tool", "/srv", "/usr/local/share/x", "/etc/hosts",
                                              "/home/u/.toolrc"].contains($0) },
                                    canonical: { $0.hasPrefix("/usr/local") ? "/opt/local" + $0.dropFirst(10) : $0 })

    func profile(_ base: Plan, _ accesses: [FileAccessRecord], syscalls: Set<String> = [], network: Bool = false,
                 options: [String] = []) throws -> [String] {
        var record = LearningRecord()
        record.accesses = accesses
        record.syscalls = syscalls
        record.network = network
        let parsed = try CommandLineParser.parse(options + ["true"]).options
        let text = LearnedProfile.text(base: base, baseName: "default", options: parsed, record: record, context: host, host: files)
        return Array(text.split(separator: "\n").map(String.init).dropFirst(3))  // the header
    }

    @Test func theLearningSandboxShowsTheHostAndWritesNowhere() throws {
        let plan = Learning.plan(base: try base(["--ro", "/usr", "--tmpfs", "/tmp", "--syscalls", "@default", "--landlock", "required"]), host: host,
                                 rootEntries: ["usr", "proc", "bin", "home"])
        #expect(plan.mounts.map(\.step.description) == [
            "ro-try /bin", "ro-try /home", "ro-try /usr", "proc /proc", "dev /dev",
            "tmp-overlay /tmp (layers, bottom to top: /tmp)", "tmp-overlay /home/u (layers, bottom to top: /home/u)",
            "tmp-overlay /home/u/project (layers, bottom to top: /home/u/project)",
            // The command line's own options, as asked, and sbox's files hidden.
            "ro /usr", "tmpfs /tmp (mode 0755)", "hide /home/u/.config/sbox", "hide /home/u/.cache/sbox",
        ])
        #expect(!plan.namespaces.contains(.net))
        #expect(plan.landlock.mode == .off && plan.learning)
        #expect(plan.allowedSyscalls?.contains("exit") == true)
    }

    @Test func onlyWhatBaseDoesNotGiveIsAdded() throws {
        let plan = try base(["--ro", "/usr", "--ro", "/etc", "--tmpfs", "/tmp", "--private-home", "--ro-cwd", "--proc", "/proc"])
        let lines = try profile(plan, [
            FileAccessRecord("/usr/bin/tool", .execute), FileAccessRecord("/etc/hosts", .read),  // given read-only
            FileAccessRecord("/tmp/scratch", .write), FileAccessRecord("/tmp/scratch", .read),  // a private tmpfs
            FileAccessRecord("/proc/self/status", .read),  // the sandbox's own
            FileAccessRecord("/home/u/.config/tool/settings.ini", .read),  // hidden by the private home
            FileAccessRecord("/home/u/.config/other/absent.ini", .read),  // only probed for
            FileAccessRecord("/home/u/project/out.o", .write),  // in the current directory
            FileAccessRecord("/var/lib/tool/db", .write), FileAccessRecord("/var/lib/tool/db", .read),
            FileAccessRecord("/var/lib/tool/new.log", .write),
            FileAccessRecord("/usr/local/share/x", .write),  // read-only in BASE: writable, and its real directory too
            FileAccessRecord("/newdir/file", .write),  // only the root holds it
        ])
        #expect(lines == ["include default", "rw-cwd", "ro-try ${HOME}/.config/tool", "rw-try /var/lib", "rw-try /usr/local",
                          "rw-try /opt/local", "# not learned: write /newdir/file: only the root holds it"])
    }

    @Test func ownFileSystemsNetworkSyscallsAndOptions() throws {
        let plan = try base(["--ro", "/usr", "--syscalls", "@default,@basic-io"])
        let lines = try profile(plan, [FileAccessRecord("/proc/self/maps", .read), FileAccessRecord("/dev/null", .write),
                                       FileAccessRecord("/home/u/.toolrc", .read)],
                                syscalls: Set(["socket", "connect", "ptrace"] + (SyscallGroups.expand("@timer") ?? [])), network: true,
                                options: ["--ro", "/usr", "--setenv", "GREETING", "hello world #1"])
        #expect(lines == ["include default", "ro /usr", "setenv GREETING \"hello world #1\"", "proc /proc", "dev /dev", "share-net",
                          "ro-try ${HOME}/.toolrc", "syscalls @timer connect ptrace socket"])
    }

    @Test func foldingIntoSensibleDirectories() {
        #expect(LearnedProfile.fold("/home/u/.config/app/sub/file", home: "/home/u") == "/home/u/.config/app")
        #expect(LearnedProfile.fold("/home/u/.local/share/app/x", home: "/home/u") == "/home/u/.local/share/app")
        #expect(LearnedProfile.fold("/home/u/Documents/a/b", home: "/home/u") == "/home/u/Documents")
        #expect(LearnedProfile.fold("/var/lib/app/x", home: "/home/u") == "/var/lib")
        #expect(LearnedProfile.fold("/data.txt", home: nil) == "/data.txt")
        #expect(LearnedProfile.quoted("a\"b\\c") == "\"a\\\"b\\\\c\"")
    }
}
