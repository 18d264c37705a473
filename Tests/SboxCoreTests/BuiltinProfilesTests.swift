import Foundation
@testable import SboxCore
import Testing

/// BuiltinProfiles.swift is written by scripts/embed-profiles: this fails while it does not match
/// profiles/*.profile, or the option table (a directive's case, a list's items).
@Suite struct BuiltinProfilesTests {
    @Test func theBuiltInProfilesAreTheFilesInProfiles() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        let directory = root.appendingPathComponent("profiles")
        let files = try FileManager.default.contentsOfDirectory(atPath: directory.path)
            .filter { $0.hasSuffix(".profile") }.sorted()
        let names = files.map { String($0.dropLast(".profile".count)) }
        #expect(BuiltinProfiles.names == names, "run scripts/embed-profiles")
        for (file, name) in zip(files, names) {
            let text = try String(contentsOf: directory.appendingPathComponent(file), encoding: .utf8)
            #expect(BuiltinProfiles.text(of: name) == text, "\(file) changed: run scripts/embed-profiles")
            #expect(text.hasPrefix("# description: "), "\(file) must start with a '# description:' line")
            // What a start uses instead of parsing the text.
            let parsed = ProfileParser.parse(text, file: name + ".profile (built-in)")
            #expect(parsed.errors.isEmpty && BuiltinProfiles.lines(of: name) == parsed.lines,
                    "\(file): run scripts/embed-profiles")
        }
    }
}
