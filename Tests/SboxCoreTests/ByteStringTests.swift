@testable import SboxCore
import Testing

@Suite struct ByteStringTests {
    @Test func messagesShowControlCharactersInvalidBytesAndReorderingMarksEscaped() {
        #expect(ByteString([0x61, 0xff, 0x62]).description == "a\\xffb")
        #expect(ByteString("a\nb\rc\td\u{1b}[2J").description == "a\\nb\\rc\\td\\x1b[2J")
        #expect(ByteString("évil\u{202e}txt.exe").description == "évil\\u{202e}txt.exe")
        // An overlong "/" and a lone continuation byte are not UTF-8.
        #expect(ByteString([0xc0, 0xaf, 0x80]).description == "\\xc0\\xaf\\x80")
        #expect(ByteString("ü/日本").description == "ü/日本")
    }

    @Test func pathsAreComparedByteByByteNotByCharacters() {
        // "/" followed by a combining mark is one Character, but the byte "/" is still a separator.
        let path = ByteString("/run/\u{301}x")
        #expect(path.isWithin("/run") && path.isStrictlyBeneath("/run"))
        #expect(path.parent == "/run" && path.lastComponent == "\u{301}x")
        #expect(!ByteString("/runner").isWithin("/run"))
        #expect(ByteString("/home/u").isWithin("/"))
        // Precomposed and decomposed are equal as Strings, different files as bytes.
        #expect("é" == "e\u{301}")
        #expect(ByteString("/é") != ByteString("/e\u{301}"))
    }

    @Test func invalidUTF8SurvivesNormalizingAndJoining() {
        let name = ByteString([0x73, 0x65, 0x63, 0xff])
        let path = (ByteString("/home/u//") + name + "/.").normalized
        #expect(path.bytes == Array("/home/u/".utf8) + name.bytes)
        #expect(path.lastComponent == name)
        #expect(path.parent == "/home/u")
        #expect(path.text == nil)
        #expect(ByteString("/a/b/../c").lexicallyNormalized == "/a/c")
    }
}
