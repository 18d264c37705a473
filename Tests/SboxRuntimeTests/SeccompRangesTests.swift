@testable import SboxRuntime
import SboxCore
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// Runs a classic BPF program over `struct seccomp_data` as the kernel does, for the instructions
/// sbox's programs and libseccomp's use (loads of the data, conditional jumps, jumps, returns).
func runFilter(_ program: [UInt8], number: UInt32, arch: UInt32,
               arguments: [UInt64] = [UInt64](repeating: 0, count: 6)) -> UInt32? {
    func word(_ offset: UInt32) -> UInt32 {
        switch offset {
        case 0: return number
        case 4: return arch
        case 8, 12: return 0  // instruction pointer
        default:
            let index = Int(offset - 16) / 8
            let argument = arguments[index]
            return UInt32(truncatingIfNeeded: offset % 8 == 0 ? argument : argument >> 32)
        }
    }
    var accumulator: UInt32 = 0
    var pc = 0
    let count = program.count / 8
    while pc < count {
        let bytes = program[(pc * 8)..<(pc * 8 + 8)]
        let base = bytes.startIndex
        let code = UInt16(bytes[base]) | UInt16(bytes[base + 1]) << 8
        let (jt, jf) = (Int(bytes[base + 2]), Int(bytes[base + 3]))
        let k = UInt32(bytes[base + 4]) | UInt32(bytes[base + 5]) << 8 | UInt32(bytes[base + 6]) << 16
            | UInt32(bytes[base + 7]) << 24
        switch code {
        case 0x20: accumulator = word(k)  // ld [k]
        case 0x06: return k  // ret k
        case 0x05: pc += Int(k)  // ja
        case 0x15: pc += accumulator == k ? jt : jf
        case 0x25: pc += accumulator > k ? jt : jf
        case 0x35: pc += accumulator >= k ? jt : jf
        case 0x45: pc += accumulator & k != 0 ? jt : jf
        case 0x54: accumulator &= k  // and k
        default: return nil  // an instruction this interpreter does not know
        }
        pc += 1
    }
    return nil
}

@Suite struct SeccompRangesTests {
    let arch = SeccompFilter.AuditArch.x86_64

    func plan(_ arguments: [ByteString]) throws -> Plan {
        let host = HostContext(uid: 1000, gid: 100, environment: ["HOME=/home/u"], currentDirectory: "/home/u")
        return try PlanCompiler.compile(try CommandLineParser.parse(arguments + ["true"]), host: host)
    }

    @Test(arguments: [["--syscalls", "@system-service"],
                      ["--syscalls", "@default,@basic-io,@file-system,@memory,@signal"],
                      ["--syscalls", "read"],
                      ["--syscalls", "@system-service", "--syscalls-deny", "@network-io", "--seccomp-action", "kill"],
                      ["--syscalls-deny", "@network-io,ptrace"],
                      ["--syscalls-deny", "read", "--seccomp-action", "enosys"]])
    func theRangesAnswerAsLibseccompsTreeForEveryNumber(_ arguments: [String]) throws {
        let arguments = arguments.map { ByteString($0) }
        let plan = try plan(arguments)
        let ranges = try SeccompPolicy.compile(plan, allowed: plan.allowedSyscalls, denied: plan.deniedSyscalls)
        let numbers = try SeccompPolicy.resolve(plan.allowedSyscalls ?? plan.deniedSyscalls, plan: plan)
        let tree = try SeccompPolicy.libseccompTree(plan, numbers: numbers, allowlist: plan.hasAllowlist)
        // Shorter: what the kernel prepares at every start.
        #expect(ranges.count < tree.count, "\(ranges.count / 8) instructions against libseccomp's \(tree.count / 8)")
        for number in Array(0..<1100) + [0x3fff_ffff, 0x4000_0000 - 1, UInt32.max] {
            let expected = runFilter(tree, number: UInt32(number), arch: arch)
            #expect(expected != nil)
            #expect(runFilter(ranges, number: UInt32(number), arch: arch) == expected, "system call \(number)")
        }
    }

    @Test func rangesMergeAndBoundsAreExact() throws {
        let program = try #require(SeccompRanges.program(numbers: [5, 3, 4, 10, 0, 12, 11, 4], inside: 1, outside: 2))
        let inside: Set<UInt32> = [0, 3, 4, 5, 10, 11, 12]
        for number in UInt32(0)...20 {
            #expect(runFilter(program, number: number, arch: arch) == (inside.contains(number) ? 1 : 2), "\(number)")
        }
        #expect(runFilter(program, number: UInt32.max, arch: arch) == 2)
        let nothing = try #require(SeccompRanges.program(numbers: [], inside: 1, outside: 2))
        #expect(runFilter(nothing, number: 7, arch: arch) == 2)
        let everything = try #require(SeccompRanges.program(numbers: [0, UInt32.max], inside: 1, outside: 2))
        #expect(runFilter(everything, number: 0, arch: arch) == 1 && runFilter(everything, number: 1, arch: arch) == 2)
        #expect(runFilter(everything, number: UInt32.max, arch: arch) == 1)
    }

    @Test func aListTooScatteredForShortJumpsIsLeftToLibseccomp() {
        // Every other number: more ranges than 255-instruction jumps can cross.
        #expect(SeccompRanges.program(numbers: (0..<400).map { UInt32($0 * 2) }, inside: 1, outside: 2) == nil)
    }
}
