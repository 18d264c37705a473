@testable import SboxCore
import Testing

@Suite struct ProfileWriterTests {
    /// What the parser and the loader make of one written line: the arguments, expanded.
    func readBack(_ line: String, host: HostContext = profileHost) throws -> (OptionName, [ByteString]) {
        let (lines, errors) = ProfileParser.parse(line + "\n", file: "learned.profile")
        if let error = errors.first { throw error }
        try #require(lines.count == 1, "\(line)")
        let variables = ProfileVariables(host: host)
        return (lines[0].name, lines[0].arguments.map { ProfileParser.expand($0, with: variables).value })
    }

    /// Byte strings that have broken profile writers: every special character, alone and together.
    static let awkward: [[UInt8]] = [
        Array("/var/x\nbind / /hostroot\nunsafe-no-seccomp\n#".utf8), Array("a\rhidden".utf8),
        Array("#not a comment".utf8),
        Array("say \"hi\" \\ there".utf8), Array("${HOME}/x".utf8), Array("$HOME".utf8), Array("--ro-bind".utf8),
        Array("-".utf8),
        [0x2f, 0xff, 0xfe, 0x80], [0xc0, 0xaf], Array("tab\there".utf8), Array("\u{202e}gnp.exe".utf8),
        Array("\\x41".utf8),
        Array("\\".utf8), Array("\"".utf8), Array(" lead and trail ".utf8), [0x7f, 0x1b, 0x01], Array("ü日本".utf8),
    ]

    @Test func everyAwkwardValueReadsBackAsItWas() throws {
        for bytes in Self.awkward {
            let value = ByteString(bytes)
            let line = ProfileWriter.line(.setenv, "NAME", value)
            #expect(!line.contains("\n") && !line.contains("\r"), "\(value)")
            let (name, arguments) = try readBack(line)
            #expect(name == .setenv && arguments == ["NAME", value], "\(value) as \(line)")
        }
    }

    @Test func randomByteStringsReadBackAsTheyWere() throws {
        var generator = SplitMix(seed: 0x5b0c_2026)
        let alphabet: [UInt8] = Array("\n\r\t \"\\#${}-x/é".utf8) + [0, 0x7f, 0x80, 0xbf, 0xc3, 0xe2, 0xff]
        for _ in 0..<2000 {
            let count = Int(generator.next() % 24)
            var bytes: [UInt8] = []
            for _ in 0..<count {
                let pick = generator.next()
                bytes.append(
                    pick % 3 == 0 ? UInt8(truncatingIfNeeded: pick >> 8) : alphabet[Int(pick >> 8) % alphabet.count])
            }
            bytes.removeAll { $0 == 0 }  // no argument holds a NUL: the kernel's strings end there
            let value = ByteString(bytes), other = ByteString(bytes.reversed())
            let line = ProfileWriter.line(.bind, value, other)
            let (name, arguments) = try readBack(line)
            #expect(name == .bind && arguments == [value, other], "\(value) \(other) as \(line)")
            #expect(line.unicodeScalars.allSatisfy { !UTF8Scalar.needsEscape($0.value) }, "\(line)")
        }
    }

    @Test func variablesAreWrittenAsVariablesAndOnlyThere() throws {
        let line = ProfileWriter.line(.roTry, [[.variable("HOME"), .bytes("/a $b")]])
        #expect(line == #"ro-try "${HOME}/a \$b""#)
        #expect(try readBack(line).1 == ["/home/u/a $b"])
        #expect(
            ProfileWriter.line(.roTry, [[.variable("HOME"), .bytes("/.config/app")]]) == "ro-try ${HOME}/.config/app")
    }

    @Test func aNULByteOrABadEscapeIsAnErrorNotATruncatedPath() {
        for line in [
            #"ro "/a\x00b""#, #"ro "/a\qb""#, #"ro "/a\x4""#, #"ro "/a\"#, "ro /tmp/\u{0}rvw", "ro \"/tmp/\u{0}\"",
        ] {
            #expect(!ProfileParser.parse(line, file: "p").errors.isEmpty, "\(line)")
        }
    }
}

/// A small deterministic generator: the same cases on every run.
struct SplitMix {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9e37_79b9_7f4a_7c15
        var z = state
        z = (z ^ (z >> 30)) &* 0xbf58_476d_1ce4_e5b9
        z = (z ^ (z >> 27)) &* 0x94d0_49bb_1331_11eb
        return z ^ (z >> 31)
    }
}
