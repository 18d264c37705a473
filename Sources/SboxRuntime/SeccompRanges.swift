/// The allowlist (or deny list) as a binary search over ranges of system call numbers, after the
/// prelude has checked the architecture. The kernel prepares a filter (converts, JIT-compiles, fills
/// its action cache) in time that grows with its length, at every start: this program is about a
/// third of libseccomp's binary tree for the same list, and answers in as few comparisons.
enum SeccompRanges {
    typealias Label = BPFAssembler.Label

    /// The two returns every path of the search ends in.
    struct Returns {
        let inside, outside: Label
    }

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
        var code = BPFAssembler()
        let to = Returns(inside: code.makeLabel(), outside: code.makeLabel())
        code.load(SeccompFilter.Field.number)
        search(&code, to, lows, highs, 0, lows.count, low: 0, high: UInt32.max)
        code.place(to.inside)
        code.ret(inside)
        code.place(to.outside)
        code.ret(outside)
        return code.assemble()
    }

    /// Ranges `first..<end`, for a number known to lie in `low...high`: the ranges above the middle
    /// one's start are searched first, those below after a jump over them.
    private static func search(_ code: inout BPFAssembler, _ to: Returns, _ lows: [UInt32], _ highs: [UInt32],
                               _ first: Int, _ end: Int, low: UInt32, high: UInt32) {
        switch end - first {
        case 0:
            code.jump(ifAtLeast: 0, then: to.outside, else: to.outside)
        case 1:
            // A bound the number is known to keep needs no comparison.
            let (a, b) = (lows[first], highs[first])
            switch (a > low, b < high) {
            case (false, false): code.jump(ifAtLeast: 0, then: to.inside, else: to.inside)
            case (true, false): code.jump(ifAtLeast: a, then: to.inside, else: to.outside)
            case (false, true): code.jump(ifAbove: b, then: to.outside, else: to.inside)
            case (true, true):
                code.jump(ifAtLeast: a, else: to.outside)
                code.jump(ifAbove: b, then: to.outside, else: to.inside)
            }
        default:
            let middle = (first + end) / 2
            let boundary = lows[middle]
            let below = code.makeLabel()
            code.jump(ifAtLeast: boundary, else: below)
            search(&code, to, lows, highs, middle, end, low: boundary, high: high)
            code.place(below)
            search(&code, to, lows, highs, first, middle, low: low, high: boundary - 1)
        }
    }
}
