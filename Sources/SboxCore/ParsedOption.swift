/// One option as given, in order, with its arguments.
public struct ParsedOption: Equatable, Sendable {
    public let name: OptionName
    public let arguments: [ByteString]
    public let origin: Origin

    public init(_ name: OptionName, _ arguments: [ByteString] = [], origin: Origin? = nil) {
        self.name = name
        self.arguments = arguments
        if let origin {
            self.origin = origin
        } else {
            var text = "--" + name.rawValue
            for argument in arguments { text += " " + argument.description }
            self.origin = .commandLine(text)
        }
    }
}

/// The command line after parsing: options in order, then the command.
public struct Invocation: Equatable, Sendable {
    public var options: [ParsedOption]
    public var command: [ByteString]

    public init(options: [ParsedOption], command: [ByteString]) {
        self.options = options
        self.command = command
    }

    public func has(_ name: OptionName) -> Bool { options.contains { $0.name == name } }
}
