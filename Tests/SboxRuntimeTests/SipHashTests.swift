@testable import SboxRuntime
import Testing

@Suite struct SipHashTests {
    /// The reference implementation's vectors for SipHash-2-4 with a 128-bit output: key 00..0f,
    /// messages 00..(n-1).
    @Test func theReferenceVectors() {
        let key = (0..<16).map { UInt8($0) }
        let expected: [Int: String] = [0: "a3817f04ba25a8e66df67214c7550293", 1: "da87c1d86b99af44347659119b22fc45",
                                       2: "8177228da4a45dc7fca38bdef60affe4", 7: "a1f1ebbed8dbc153c0b84aa61ff08239",
                                       8: "3b62a9ba6258f5610f83e264f31497b4", 15: "5493e99933b0a8117e08ec0f97cfc3d9"]
        for (length, hex) in expected {
            let mac = SipHash.mac((0..<length).map { UInt8($0) }, key: key)
            #expect(mac.map { String($0, radix: 16).count == 1 ? "0" + String($0, radix: 16) : String($0, radix: 16) }
                        .joined() == hex, "\(length)")
        }
    }
}
