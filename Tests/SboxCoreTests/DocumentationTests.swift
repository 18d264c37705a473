import Foundation
@testable import SboxCore
import Testing

/// The repository's files, from this test file's location.
func repositoryFile(_ relativePath: String) throws -> String {
    let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    return try String(contentsOf: root.appendingPathComponent(relativePath), encoding: .utf8)
}

@Suite struct DocumentationTests {
    @Test func sboxProfile5DocumentsEveryDirective() throws {
        let page = try repositoryFile("man/sbox-profile.5").replacingOccurrences(of: "\\-", with: "-")
        for name in OptionName.allCases where name != .help && name != .version && name != .args {
            #expect(page.contains("\\fB\(name.rawValue)\\fR"), "man/sbox-profile.5 does not document the directive '\(name.rawValue)'")
        }
        for variable in ProfileVariables.names {
            #expect(page.contains("${\(variable)}"), "man/sbox-profile.5 does not document ${\(variable)}")
        }
    }

    @Test func sbox1DocumentsEveryOptionAndCommand() throws {
        let page = try repositoryFile("man/sbox.1").replacingOccurrences(of: "\\-", with: "-")
        for spec in OptionTable.all {
            #expect(page.contains("\\fB\(spec.flag)\\fR"), "man/sbox.1 does not document \(spec.flag)")
        }
        for command in Subcommand.allCases {
            #expect(page.contains(".TP\n\\fB\(command.rawValue)\\fR"), "man/sbox.1 does not document 'sbox \(command.rawValue)'")
        }
    }

    @Test func theBuiltInProfilesAreTheFilesInProfiles() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let directory = root.appendingPathComponent("profiles")
        let files = try FileManager.default.contentsOfDirectory(atPath: directory.path).filter { $0.hasSuffix(".profile") }.sorted()
        #expect(BuiltinProfiles.names == files.map { String($0.dropLast(".profile".count)) }, "run scripts/embed-profiles")
        for file in files {
            let text = try String(contentsOf: directory.appendingPathComponent(file), encoding: .utf8)
            #expect(BuiltinProfiles.text(of: String(file.dropLast(".profile".count))) == text, "\(file) changed: run scripts/embed-profiles")
            #expect(text.hasPrefix("# description: "), "\(file) must start with a '# description:' line")
            // What a start uses instead of parsing the text.
            let name = String(file.dropLast(".profile".count))
            let parsed = ProfileParser.parse(text, file: name + ".profile (built-in)")
            #expect(parsed.errors.isEmpty && BuiltinProfiles.lines(of: name) == parsed.lines, "\(file): run scripts/embed-profiles")
        }
    }
}
