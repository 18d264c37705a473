/// Exit statuses that sbox itself gives, following env(1), timeout(1) and the shells.
public enum ExitStatus {
    /// --timeout ended the sandbox, as timeout(1).
    public static let timedOut: Int32 = 124
    /// sbox failed: a bad option, a missing bind source, a failed isolation step.
    public static let sandboxFailure: Int32 = 125
    /// The command was found but could not be executed.
    public static let cannotExecute: Int32 = 126
    /// The command was not found.
    public static let notFound: Int32 = 127
}

/// A problem with what the user asked for, found before anything runs.
public struct UsageError: Error, Equatable, CustomStringConvertible, Sendable {
    /// Where the problem is: the option, or the profile's file and line; nil for the command line
    /// as a whole.
    public let origin: Origin?
    /// What is wrong there.
    public let problem: String

    public init(_ message: String) {
        origin = nil
        problem = message
    }

    public init(_ origin: Origin, _ problem: String) {
        self.origin = origin
        self.problem = problem
    }

    /// One line: where, then what.
    public var message: String { origin.map { "\($0): \(problem)" } ?? problem }
    public var description: String { message }

    public static func == (a: UsageError, b: UsageError) -> Bool { a.message == b.message }
}
