/// The allowlist (or deny list) as a binary search over ranges of system call numbers, after the
/// prelude has checked the architecture. The kernel prepares a filter (converts, JIT-compiles, fills
/// its action cache) in time that grows with its length, at every start: this program is about a
/// third of libseccomp's binary tree for the same list, and answers in as few comparisons.
enum SeccompRanges {
    /// Where a jump goes: over `skip` instructions, or to one of the two returns at the end.
    enum Target: Equatable { case skip(Int), inside, outside }

    struct Instruction {
        var code: UInt16
        var k: UInt32
        var onTrue: Target = .skip(0)
        var onFalse: Target = .skip(0)
    }

    static let loadNumber: UInt16 = 0x20  // BPF_LD | BPF_W | BPF_ABS; k 0: seccomp_data.nr
    static let jumpAtLeast: UInt16 = 0x35  // BPF_JMP | BPF_JGE | BPF_K
    static let jumpAbove: UInt16 = 0x25  // BPF_JMP | BPF_JGT | BPF_K
    static let ret: UInt16 = 0x06

    /// `inside` for the numbers listed, `outside` for every other; nil if the program would need a
    /// jump longer than BPF's 255 instructions (then libseccomp's tree serves).
    static func program(numbers: [UInt32], inside: UInt32, outside: UInt32) -> [UInt8]? {
        var lows: [UInt32] = [], highs: [UInt32] = []
        for number in numbers.sorted() {
            if let last = highs.last, number <= last &+ 1 {
                highs[highs.count - 1] = max(last, number)
            } else {
                lows.append(number)
                highs.append(number)
            }
        }
        let tree = search(lows, highs, 0, lows.count, low: 0, high: UInt32.max)
        let code = [Instruction(code: loadNumber, k: 0)] + tree
            + [Instruction(code: ret, k: inside), Instruction(code: ret, k: outside)]
        var bytes: [UInt8] = []
        for (index, instruction) in code.enumerated() {
            func offset(_ target: Target) -> Int {
                switch target {
                case .skip(let count): return count
                case .inside: return code.count - 2 - index - 1
                case .outside: return code.count - 1 - index - 1
                }
            }
            let onTrue = offset(instruction.onTrue), onFalse = offset(instruction.onFalse)
            guard onTrue <= 255, onFalse <= 255 else { return nil }
            bytes += SeccompFilter.instruction(instruction.code, onTrue: UInt8(onTrue), onFalse: UInt8(onFalse), k: instruction.k)
        }
        return bytes
    }

    /// Ranges `first..<end`, for a number known to lie in `low...high`.
    private static func search(_ lows: [UInt32], _ highs: [UInt32], _ first: Int, _ end: Int, low: UInt32, high: UInt32) -> [Instruction] {
        switch end - first {
        case 0:
            return [Instruction(code: jumpAtLeast, k: 0, onTrue: .outside, onFalse: .outside)]
        case 1:
            let (a, b) = (lows[first], highs[first])
            switch (a > low, b < high) {
            case (false, false): return [Instruction(code: jumpAtLeast, k: 0, onTrue: .inside, onFalse: .inside)]
            case (true, false): return [Instruction(code: jumpAtLeast, k: a, onTrue: .inside, onFalse: .outside)]
            case (false, true): return [Instruction(code: jumpAbove, k: b, onTrue: .outside, onFalse: .inside)]
            case (true, true):
                return [Instruction(code: jumpAtLeast, k: a, onTrue: .skip(0), onFalse: .outside),
                        Instruction(code: jumpAbove, k: b, onTrue: .outside, onFalse: .inside)]
            }
        default:
            let middle = (first + end) / 2
            let boundary = lows[middle]
            let above = search(lows, highs, middle, end, low: boundary, high: high)
            let below = search(lows, highs, first, middle, low: low, high: boundary - 1)
            return [Instruction(code: jumpAtLeast, k: boundary, onTrue: .skip(0), onFalse: .skip(above.count))] + above + below
        }
    }
}
