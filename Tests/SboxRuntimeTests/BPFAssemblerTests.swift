@testable import SboxRuntime
import Testing

@Suite struct BPFAssemblerTests {
    typealias Op = BPFAssembler.Op

    @Test func jumpsCountTheInstructionsTheySkip() throws {
        var code = BPFAssembler()
        let refuse = code.makeLabel(), allow = code.makeLabel()
        code.load(SeccompFilter.Field.number)
        code.jump(ifEqual: 7, then: refuse)
        code.jump(ifAbove: 9, then: allow, else: refuse)
        code.jump(to: allow)
        code.place(refuse)
        code.ret(1)
        code.place(allow)
        code.ret(2)
        let program = try #require(code.assemble())
        #expect(program == BPFAssembler.instruction(Op.loadWord, k: 0)
            + BPFAssembler.instruction(Op.jumpEqual, onTrue: 2, k: 7)
            + BPFAssembler.instruction(Op.jumpAbove, onTrue: 2, onFalse: 1, k: 9)
            + BPFAssembler.instruction(Op.jumpAnyBit, onFalse: 1, k: 0)
            + BPFAssembler.instruction(Op.ret, k: 1) + BPFAssembler.instruction(Op.ret, k: 2))
        #expect(runFilter(program, number: 7, arch: 0) == 1)
        #expect(runFilter(program, number: 8, arch: 0) == 1)
        #expect(runFilter(program, number: 10, arch: 0) == 2)
    }

    /// BPF's jump offsets are 8 bits, forward only.
    @Test func aJumpBPFCannotMakeIsRefused() {
        func program(skipping count: Int) -> [UInt8]? {
            var code = BPFAssembler()
            let end = code.makeLabel()
            code.jump(ifEqual: 1, then: end)
            for _ in 0..<count { code.load(0) }
            code.place(end)
            code.ret(0)
            return code.assemble()
        }
        #expect(program(skipping: 255)?.count == 257 * 8)
        #expect(program(skipping: 256) == nil)

        var backward = BPFAssembler()
        let start = backward.makeLabel()
        backward.place(start)
        backward.jump(to: start)
        #expect(backward.assemble() == nil)

        var unplaced = BPFAssembler()
        unplaced.jump(to: unplaced.makeLabel())
        #expect(unplaced.assemble() == nil)
    }
}
