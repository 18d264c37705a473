import SboxCore
import Testing

func compileWithCommand(_ arguments: [ByteString]) throws(UsageError) -> Plan { try compile(arguments + ["true"]) }

@Suite struct SyscallPolicyTests {
    @Test func groupsExpandSortedWithoutRepeatsAndKeepDangerousCallsOut() throws {
        let service = try #require(SyscallGroups.expand("@system-service"))
        #expect(service == service.sorted() && Set(service).count == service.count)
        for group in SyscallGroups.names {
            let members = try #require(SyscallGroups.expand(group), "\(group)")
            #expect(!members.isEmpty)
            for dangerous in SyscallGroups.dangerous {
                #expect(!members.contains(dangerous), "\(group) must not contain \(dangerous)")
            }
        }
        #expect(service.contains("read") && service.contains("clone") && service.contains("ioctl"))
    }

    @Test func allowIsCumulativeAndARefusalWinsWhereverItStands() throws {
        let plan = try compileWithCommand([
            "--syscalls-deny", "socket", "--syscalls", "@network-io", "--syscalls", "read,write",
        ])
        let allowed = try #require(plan.allowedSyscalls)
        #expect(allowed.contains("connect") && allowed.contains("read") && allowed.contains("write"))
        #expect(!allowed.contains("socket"))
        #expect(plan.deniedSyscalls == ["socket"])
        #expect(try compileWithCommand(["--syscalls-deny", "ptrace"]).allowedSyscalls == nil)
        #expect(try compileWithCommand([]).syscallRules.isEmpty)
    }

    @Test func theRefusedActionIsOneOfFour() throws {
        #expect(try compileWithCommand(["--seccomp-action", "kill"]).seccompAction == .kill)
        #expect(try compileWithCommand([]).seccompAction == .errno)
        expectError(
            ["--seccomp-action", "die"] + ["true"],
            "--seccomp-action die: 'die' is not an action (errno, enosys, kill or log)")
    }

    @Test func unknownGroupsAndBadNamesAreErrorsWithTheClosestGroup() {
        expectError(
            ["--syscalls", "@fle-system"] + ["true"],
            "--syscalls @fle-system: unknown group @fle-system (did you mean @file-system?); sbox syscalls lists them")
        expectError(
            ["--syscalls", "read;write"] + ["true"], "--syscalls read;write: 'read;write' is not a system call name")
        expectError(["--syscalls", ","] + ["true"], "--syscalls ,: the list is empty")
    }

    @Test func inAProfileTheListIsSeparatedByBlanksToo() {
        let (lines, errors) = ProfileParser.parse("syscalls @basic-io @file-system, read\n", file: "p")
        #expect(errors.isEmpty)
        #expect(lines.first?.arguments == ["@basic-io,@file-system,,read"])
    }

    @Test func theCacheKeyFollowsTheDirectivesAsWritten() throws {
        #expect(
            try compileWithCommand(["--syscalls", "@basic-io", "--syscalls-deny", "read", "--seccomp-action", "enosys"])
                .syscallPolicyKey
                == "+@basic-io,-read,enosys")
    }
}
