import Foundation
@testable import SboxCore
import Testing

/// The repository's files, from this test file's location.
func repositoryFile(_ relativePath: String) throws -> String {
    let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    return try String(contentsOf: root.appendingPathComponent(relativePath), encoding: .utf8)
}

@Suite struct DocumentationTests {
    /// The style's limit, kept: no line of Swift in Sources or Tests is longer than 120 characters.
    @Test func noSwiftLineIsLongerThan120Characters() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        var long: [String] = []
        for folder in ["Sources", "Tests"] {
            let base = root.appendingPathComponent(folder)
            let files = FileManager.default.enumerator(atPath: base.path)?.compactMap { $0 as? String } ?? []
            for file in files where file.hasSuffix(".swift") {
                let text = try String(contentsOf: base.appendingPathComponent(file), encoding: .utf8)
                for (number, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated()
                where line.count > 120 {
                    long.append("\(folder)/\(file):\(number + 1)")
                }
            }
        }
        #expect(long.isEmpty, "longer than 120 characters: \(long)")
    }

    @Test func sboxProfile5DocumentsEveryDirective() throws {
        let page = try repositoryFile("man/sbox-profile.5").replacingOccurrences(of: "\\-", with: "-")
        for name in OptionName.allCases where name.spec.isDirective {
            #expect(
                page.contains("\\fB\(name.rawValue)\\fR"),
                "man/sbox-profile.5 does not document the directive '\(name.rawValue)'")
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
            #expect(
                page.contains(".TP\n\\fB\(command.rawValue)\\fR"),
                "man/sbox.1 does not document 'sbox \(command.rawValue)'")
        }
    }

    @Test func readmesUsageListsEverySubcommand() throws {
        let readme = try repositoryFile("README.md")
        let start = try #require(readme.range(of: "## Usage\n\n```\n"))
        let block = readme[start.upperBound...].components(separatedBy: "```")[0]
        for command in Subcommand.allCases {
            let word = command == .run ? "sbox [run]" : "sbox \(command.rawValue) "
            #expect(block.contains(word), "README's usage does not list 'sbox \(command.rawValue)'")
        }
    }
}
