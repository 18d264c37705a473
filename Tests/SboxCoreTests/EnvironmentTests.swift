@testable import SboxCore
import Testing

@Suite struct EnvironmentTests {
    static let caller: [ByteString] = [
        "HOME=/home/u", "PATH=/usr/bin", "LANG=C.UTF-8", "TERM=xterm", "CI=true", "CC=gcc", "CFLAGS=-O2",
        "MAKEFLAGS=-j2",
        "GITHUB_TOKEN=ghp_x", "AWS_SECRET_ACCESS_KEY=a", "AWS_REGION=eu", "AZURE_CLIENT_ID=b", "NPM_TOKEN=c",
        "npm_config__authToken=d",
        "PGPASSWORD=e", "OPENAI_API_KEY=f", "GOOGLE_APPLICATION_CREDENTIALS=/k.json",
        "SSH_AUTH_SOCK=/tmp/ssh-x/agent.1",
        "GPG_AGENT_INFO=x", "KRB5CCNAME=FILE:/tmp/krb", "DBUS_SESSION_BUS_ADDRESS=unix:path=/run/user/1000/bus",
        "LD_PRELOAD=/evil.so", "LD_AUDIT=/a.so", "LD_LIBRARY_PATH=/evil", "SIGNING_PRIVATE_KEY=g",
        ByteString([0x58, 0xff, 0x3d, 0x31]),
    ]

    func plan(_ arguments: [ByteString], environment: [ByteString] = caller) throws -> Plan {
        let host = HostContext(uid: 1000, gid: 100, environment: environment, currentDirectory: "/home/u/src")
        let result = ProfileLoader(store: MemoryStore(), variables: ProfileVariables(host: host))
            .options(for: try CommandLineParser.parse(arguments + ["true"]))
        if let error = result.errors.first { throw error }
        return try PlanCompiler.compile(Invocation(options: result.options, command: ["true"]), host: host)
    }

    func names(_ plan: Plan) -> [String] { plan.environment.map { PlanCompiler.variableName($0).description } }

    @Test func theShippedProfilesDropCredentialsAndKeepTheRest() throws {
        for profile: ByteString in ["default", "ci", "gui", "browser"] {
            let result = try plan(["--profile", profile])
            #expect(
                names(result) == ["HOME", "PATH", "LANG", "TERM", "CI", "CC", "CFLAGS", "MAKEFLAGS", "X\\xff"],
                "\(profile)")
            #expect(result.droppedVariables.count == 17, "\(profile)")
        }
        #expect(try plan(["--profile", "strict"]).environment == ["PATH=/usr/local/bin:/usr/bin:/bin"])
        // Without the directive, everything passes, as bwrap passes it.
        #expect(try plan(["--profile", "none"]).environment == Self.caller)
        let dropped = try plan(["--profile", "default"]).droppedVariables
        #expect(dropped.first { $0.name == "GITHUB_TOKEN" }?.reason == "credential-shaped (TOKEN)")
        #expect(dropped.first { $0.name == "LD_PRELOAD" }?.reason == "injects code into every program")
    }

    @Test func namesAreMatchedAsBytesAndTheUsualOnesAreKnown() {
        for name: ByteString in [
            "MY_TOKEN\u{301}", "SECRET\u{301}", "TOKEN\u{200d}", "CI_JOB_JWT", "DOCKER_AUTH_CONFIG",
            "NPM_AUTH", "DEPLOY_KEY", "GH_PAT", ByteString([0x54, 0x4f, 0x4b, 0x45, 0x4e, 0xff]),
        ] {
            #expect(CredentialVariables.reason(for: name) != nil, "\(name)")
        }
        for name: ByteString in ["XAUTHORITY", "KEYBOARD", "PATH", "TERM", "CC", "CFLAGS", "HOME", "MONKEY_ISLAND",
                                 "PWD", "OLDPWD", "DESKTOP_SESSION", "LDFLAGS", "BYPASS", "GIT_AUTHOR_NAME",
                                 "GIT_AUTHOR_EMAIL", "CARGO_PKG_AUTHORS", "TOKENIZERS_PARALLELISM"] {
            #expect(CredentialVariables.reason(for: name) == nil, "\(name)")
        }
    }

    /// Names an attacker's review found passing: passwords, passphrases, cookies, DSNs, webhooks, the
    /// loader's other doors; and URLs that carry a password whatever the variable's name.
    @Test func passwordsPassphrasesCookiesAndURLsWithAPasswordAreDropped() {
        for name: ByteString in ["MYSQL_PWD", "REDIS_PASS", "GPG_PASSPHRASE", "AUTHORIZATION", "SESSION_COOKIE",
                                 "SSH_PRIVKEY", "GOOGLE_CLOUD_KEYFILE_JSON", "SENTRY_DSN", "SLACK_WEBHOOK_URL",
                                 "GCONV_PATH", "GLIBC_TUNABLES"] {
            #expect(CredentialVariables.reason(for: name, value: "x") != nil, "\(name)")
        }
        for value: ByteString in ["postgres://u:pw@db/app", "http://u:p%40ss@proxy:3128", "a https://x:y@h b"] {
            #expect(CredentialVariables.reason(for: "DATABASE_URL", value: value) == "a URL with a password",
                    "\(value)")
        }
        for value: ByteString in ["tcp://host:2375", "https://user@host/", "http://h/a:b@c", "x:y@z", "://"] {
            #expect(CredentialVariables.reason(for: "SOME_URL", value: value) == nil, "\(value)")
        }
    }

    /// A keepenv glob of many stars against a long name: an answer at once (it backtracked
    /// exponentially: 40 bytes took minutes).
    @Test func keepenvGlobsMatchInLinearTime() {
        let name = ByteString(Array(repeating: UInt8(ascii: "a"), count: 4000))
        #expect(!VariablePattern(pattern: "*a*a*a*a*a*a*a*a*a*a*b").matches(name))
        #expect(VariablePattern(pattern: "*a*a*a*a*a*a*a*a*a*a*").matches(name))
        for (pattern, name, expected): (ByteString, ByteString, Bool) in [
            ("*", "", true), ("", "", true), ("", "a", false), ("a*", "a", true), ("*a", "ba", true),
            ("*a", "ab", false), ("A*B*C", "AxxBxxC", true), ("A*B*C", "AxxBxxCx", false), ("?", "", false),
            ("AWS_*", "AWS_REGION", true), ("*_TOKEN", "GITHUB_TOKEN", true), ("a*b?c", "aXbYbZc", true),
        ] {
            #expect(VariablePattern(pattern: pattern).matches(name) == expected, "\(pattern) \(name)")
        }
    }

    @Test func keepenvAndSetenvKeepOneOnPurpose() throws {
        let result = try plan([
            "--profile", "ci", "--keepenv", "GITHUB_TOKEN", "--keepenv", "AWS_*", "--setenv", "NPM_TOKEN", "given",
        ])
        #expect(
            names(result).contains("GITHUB_TOKEN") && names(result).contains("AWS_SECRET_ACCESS_KEY")
                && names(result).contains("AWS_REGION"))
        #expect(result.environment.contains("NPM_TOKEN=given") && !names(result).contains("AZURE_CLIENT_ID"))
        #expect(VariablePattern(pattern: "A?C*").matches("ABCDEF") && !VariablePattern(pattern: "A?C").matches("ABCD"))
    }

    @Test func theSessionBusStaysOnlyWhereThePlanExposesIt() throws {
        #expect(!names(try plan(["--profile", "default"])).contains("DBUS_SESSION_BUS_ADDRESS"))
        let exposed = try plan(["--profile", "default", "--ro", "/run/user/1000/bus"])
        #expect(names(exposed).contains("DBUS_SESSION_BUS_ADDRESS"))
        let abstract = try plan(
            ["--profile", "default", "--ro", "/run/user/1000/bus"],
            environment: ["HOME=/home/u", "DBUS_SESSION_BUS_ADDRESS=unix:abstract=/tmp/dbus-x,guid=1"])
        #expect(abstract.environment == ["HOME=/home/u"])
    }
}

@Suite struct HostSocketsTests {
    @Test func explainAndCheckNameEveryKnownHostSocketAPlanExposesWithWhatItGives() throws {
        let host = HostContext(
            uid: 1000, gid: 100,
            environment: [
                "HOME=/home/u", "XDG_RUNTIME_DIR=/run/user/1000",
                "SSH_AUTH_SOCK=/tmp/ssh-x/agent.1", "DISPLAY=:0",
            ], currentDirectory: "/home/u/src")
        func sockets(_ arguments: [ByteString]) throws -> [String] {
            let result = ProfileLoader(store: MemoryStore(), variables: ProfileVariables(host: host))
                .options(for: try CommandLineParser.parse(arguments + ["true"]))
            let plan = try PlanCompiler.compile(Invocation(options: result.options, command: ["true"]), host: host)
            return HostSockets.exposed(by: plan, host: host).map(\.path.description)
        }
        #expect(try sockets(["--profile", "default"]).isEmpty)
        let gui = try sockets(["--profile", "gui"])
        #expect(
            gui == [
                "/dev/dri", "/tmp/.X11-unix/X0", "/run/user/1000/wayland-0", "/run/user/1000/pulse/native",
                "/run/user/1000/pipewire-0",
            ], "\(gui)")
        #expect(
            try sockets(["--profile", "none", "--ro", "/tmp", "--ro", "/run/user/1000/bus", "--hide", "/tmp/.X11-unix"])
                == ["/run/user/1000/bus", "/tmp/ssh-x/agent.1"])
        let x11 = HostSockets.known(host).first { $0.path == "/tmp/.X11-unix" }?.note ?? ""
        #expect(x11.contains("read what you type") && x11.contains("type into them"))
    }
}
