/// Classic BPF, as seccomp runs it: the one emitter of the instructions sbox writes itself (the
/// prelude and the ranges policy; libseccomp writes its own).
///
/// Jumps name labels, placed later: BPF jumps only forward, over at most 255 instructions, and
/// `assemble` refuses any other. Labels are indices and each instruction is two Ints: no dictionary
/// or array of structs or tuples, whose generic metadata a static Swift binary would build at every
/// start (the prelude is assembled at every start).
struct BPFAssembler {
    /// Where a jump goes, made by `makeLabel` and placed once with `place`.
    struct Label {
        fileprivate let index: Int
        /// The following instruction: a jump of 0.
        static var next: Label { Label(index: 0) }
    }

    enum Op {
        static let loadWord: UInt16 = 0x20  // BPF_LD | BPF_W | BPF_ABS
        static let jumpEqual: UInt16 = 0x15  // BPF_JMP | BPF_JEQ | BPF_K
        static let jumpAbove: UInt16 = 0x25  // BPF_JMP | BPF_JGT | BPF_K
        static let jumpAtLeast: UInt16 = 0x35  // BPF_JMP | BPF_JGE | BPF_K
        static let jumpAnyBit: UInt16 = 0x45  // BPF_JMP | BPF_JSET | BPF_K
        static let ret: UInt16 = 0x06  // BPF_RET | BPF_K
    }

    /// Per instruction: code (16 bits) | k (32 bits) << 16.
    private var operations: [Int] = []
    /// Per instruction: the label's index if true | the label's index if false << 32.
    private var targets: [Int] = []
    /// Each label's instruction, -1 until placed; index 0 is `next`, which needs none.
    private var positions: [Int] = [0]

    mutating func makeLabel() -> Label {
        positions.append(-1)
        return Label(index: positions.count - 1)
    }

    /// `label` is the next instruction emitted.
    mutating func place(_ label: Label) { positions[label.index] = operations.count }

    private mutating func emit(_ code: UInt16, _ k: UInt32, _ onTrue: Label = .next, _ onFalse: Label = .next) {
        operations.append(Int(code) | Int(k) << 16)
        targets.append(onTrue.index | onFalse.index << 32)
    }

    /// Loads the 32-bit word at `offset` of the data (`struct seccomp_data`).
    mutating func load(_ offset: UInt32) { emit(Op.loadWord, offset) }
    mutating func ret(_ value: UInt32) { emit(Op.ret, value) }

    mutating func jump(ifEqual value: UInt32, then onTrue: Label = .next, else onFalse: Label = .next) {
        emit(Op.jumpEqual, value, onTrue, onFalse)
    }

    mutating func jump(ifAbove value: UInt32, then onTrue: Label = .next, else onFalse: Label = .next) {
        emit(Op.jumpAbove, value, onTrue, onFalse)
    }

    mutating func jump(ifAtLeast value: UInt32, then onTrue: Label = .next, else onFalse: Label = .next) {
        emit(Op.jumpAtLeast, value, onTrue, onFalse)
    }

    mutating func jump(ifAnyBit value: UInt32, then onTrue: Label = .next, else onFalse: Label = .next) {
        emit(Op.jumpAnyBit, value, onTrue, onFalse)
    }

    /// An unconditional jump: "if no bit of 0 is set, go to target". Not BPF_JA, so that the prelude
    /// stays byte for byte what earlier builds wrote.
    mutating func jump(to target: Label) { emit(Op.jumpAnyBit, 0, .next, target) }

    /// The program as the kernel's `struct sock_filter` array; nil if a jump goes to a label not
    /// placed after it, or further than 255 instructions.
    func assemble() -> [UInt8]? {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(operations.count * 8)
        for index in 0..<operations.count {
            let packed = operations[index], target = targets[index]
            guard let onTrue = offset(to: target & 0xffff_ffff, from: index),
                  let onFalse = offset(to: target >> 32, from: index) else { return nil }
            bytes += Self.instruction(UInt16(packed & 0xffff), onTrue: onTrue, onFalse: onFalse,
                                      k: UInt32((packed >> 16) & 0xffff_ffff))
        }
        return bytes
    }

    /// A jump's offset: the instructions it skips.
    private func offset(to label: Int, from index: Int) -> UInt8? {
        guard label != 0 else { return 0 }
        let distance = positions[label] - index - 1
        return distance >= 0 && distance < 256 ? UInt8(distance) : nil
    }

    /// One `struct sock_filter`: code (16 bits), jt, jf (8 bits each), k (32 bits), little-endian.
    static func instruction(_ code: UInt16, onTrue: UInt8 = 0, onFalse: UInt8 = 0, k: UInt32) -> [UInt8] {
        [UInt8(code & 0xff), UInt8(code >> 8), onTrue, onFalse,
         UInt8(k & 0xff), UInt8((k >> 8) & 0xff), UInt8((k >> 16) & 0xff), UInt8(k >> 24)]
    }
}
