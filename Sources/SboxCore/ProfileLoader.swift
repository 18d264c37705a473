/// Reads profile files for the loader. The command line gives it the real file system; tests give it
/// a dictionary. Keeps SboxCore free of system calls.
public protocol ProfileStore {
    /// The text of the file at `path`, or nil when there is none; throws when it cannot be read.
    func read(_ path: ByteString) throws(UsageError) -> ByteString?
    /// The names of the `*.profile` files in `directory` (none when it does not exist).
    func profileNames(in directory: ByteString) -> [String]
}

/// Where a profile was found.
public enum ProfileKind: String, Sendable {
    case user, system, builtIn = "built-in", file
}

/// A profile found by name or path: its text and where it came from.
public struct ProfileSource: Sendable {
    public let name: String
    /// The file's path; a built-in profile's is `NAME.profile (built-in)`.
    public let path: ByteString
    public let kind: ProfileKind
    public let text: ByteString
    /// What errors and `sbox explain` show: the path, escaped.
    public let file: String
    /// Its directives when they were parsed beforehand (the built-in profiles, BuiltinProfiles.lines).
    public var parsed: [ParsedOption]? = nil

    /// The `# description:` comment on the first line.
    public var description: String? {
        let first = ByteString(text.bytes.prefix { $0 != UInt8(ascii: "\n") })
        guard first.hasPrefix("# description:") else { return nil }
        return String(first.dropFirst("# description:".count).description.drop { $0 == " " })
    }

    public init(name: String, path: ByteString, kind: ProfileKind, text: ByteString, parsed: [ParsedOption]? = nil) {
        self.name = name
        self.path = path
        self.kind = kind
        self.text = text
        self.parsed = parsed
        file = path.description
    }
}

/// Finds profiles by name, follows `include`, adds the user's `NAME.local`, and expands variables.
///
/// Lookup of NAME: `$XDG_CONFIG_HOME/sbox/profiles/NAME.profile`, then `/etc/sbox/profiles/`, then
/// the profiles built into sbox. A reference with a `/` is a path. Inside `NAME.profile`,
/// `include NAME` means the next NAME in that order, so a user's `default.profile` can extend the
/// built-in one.
public struct ProfileLoader {
    public static let systemDirectory: ByteString = "/etc/sbox/profiles"
    public static let none = "none"
    /// A bound on what a cycle of different files, or a mistake, can make sbox read.
    public static let maximumDepth = 32

    public let store: ProfileStore
    public let variables: ProfileVariables
    public let userDirectory: ByteString?

    public init(store: ProfileStore, variables: ProfileVariables) {
        self.store = store
        self.variables = variables
        self.userDirectory = variables.value(of: "XDG_CONFIG_HOME").map { $0 + "/sbox/profiles" }
    }

    /// What a profile contributes, in order, with every error found on the way (each names file:line).
    public struct Result {
        public var options: [ParsedOption] = []
        public var errors: [UsageError] = []
    }

    /// The options that apply, in order: the profiles given with --profile (`default` when none is),
    /// each followed by its `.local`, then the command line's own options, with --include expanded
    /// where it stands. --profile none applies no profile.
    public func options(for invocation: Invocation) -> Result {
        var result = Result()
        var references: [ByteString] = []
        for option in invocation.options where option.name == .profile { references.append(option.arguments[0]) }
        if references.isEmpty { references.append("default") }
        for reference in references where reference != ByteString(Self.none) {
            let loaded = load(reference)
            result.options += loaded.options
            result.errors += loaded.errors.map { UsageError("--profile \(reference): \($0.message)") }
        }
        for option in invocation.options {
            switch option.name {
            case .profile:
                continue
            case .include:
                var included = Result()
                var stack = Includes()
                include(option.arguments[0], from: nil, into: &included, stack: &stack)
                result.options += included.options
                result.errors += included.errors.map { UsageError(option.origin, "\($0.message)") }
            default:
                result.options.append(option)
            }
        }
        return result
    }

    /// The directives of profile `reference` (a name or a path) and of what it includes, then of the
    /// user's `NAME.local` when there is one.
    public func load(_ reference: ByteString, withLocal: Bool = true) -> Result {
        var result = Result()
        var stack = Includes()
        include(reference, from: nil, into: &result, stack: &stack)
        if withLocal, !reference.contains(UInt8(ascii: "/")), let directory = userDirectory {
            let local = directory + "/" + reference + ".local"
            do {
                if let text = try store.read(local) {
                    let name = reference.description + ".local"
                    apply(ProfileSource(name: name, path: local, kind: .user, text: text), into: &result, stack: &stack)
                }
            } catch {
                result.errors.append(error)
            }
        }
        return result
    }

    /// Every place where NAME is, in lookup order.
    public func sources(named name: String) throws(UsageError) -> [ProfileSource] {
        var found: [ProfileSource] = []
        let file = ByteString(name + ".profile")
        if let directory = userDirectory, let text = try store.read(directory.appending(file)) {
            found.append(ProfileSource(name: name, path: directory.appending(file), kind: .user, text: text))
        }
        let system = Self.systemDirectory.appending(file)
        if let text = try store.read(system) {
            found.append(ProfileSource(name: name, path: system, kind: .system, text: text))
        }
        if let text = BuiltinProfiles.text(of: name) {
            found.append(ProfileSource(name: name, path: ByteString(name + ".profile (built-in)"), kind: .builtIn,
                                       text: ByteString(text), parsed: BuiltinProfiles.lines(of: name)))
        }
        return found
    }

    /// Every profile that `--profile NAME` can find, the first of each name (the one that applies).
    public func available() -> [ProfileSource] {
        var names: [String] = []
        for directory in [userDirectory, Self.systemDirectory] {
            if let directory { names += store.profileNames(in: directory) }
        }
        names += BuiltinProfiles.names
        var seen: Set<String> = []
        var result: [ProfileSource] = []
        for name in names.sorted() where seen.insert(name).inserted {
            if let source = try? sources(named: name).first { result.append(source) }
        }
        return result
    }

    private func include(_ reference: ByteString, from parent: ProfileSource?, into result: inout Result,
                         stack: inout Includes) {
        let source: ProfileSource
        do {
            source = try resolve(reference, from: parent, stack: stack)
        } catch {
            result.errors.append(error)
            return
        }
        apply(source, into: &result, stack: &stack)
    }

    private func apply(_ source: ProfileSource, into result: inout Result, stack: inout Includes) {
        if stack.files.contains(source.path) {
            let chain = (stack.files + [source.path]).map(\.description).joined(separator: " → ")
            result.errors.append(UsageError("include cycle: \(chain)"))
            return
        }
        guard stack.files.count < Self.maximumDepth else {
            result.errors.append(UsageError("\(source.file): includes nest more than \(Self.maximumDepth) deep"))
            return
        }
        stack.files.append(source.path)
        defer { stack.files.removeLast() }
        let (lines, errors) = source.parsed.map { ($0, []) } ?? ProfileParser.parse(source.text, file: source.file)
        result.errors += errors
        for line in lines {
            stack.directives += 1
            let bound = CommandLineParser.maximumOptions
            guard stack.directives <= bound else {
                if stack.directives == bound + 1 {
                    let location = line.origin.location
                    result.errors.append(UsageError("\(location): the profiles give more than \(bound) directives"))
                }
                return
            }
            if line.name == .include || line.name == .profile {
                includeDirective(line, of: source, into: &result, stack: &stack)
            } else {
                applyDirective(line, into: &result)
            }
        }
    }

    /// `include NAME` (or `profile NAME`) in a profile: that profile's directives, where the line stands.
    private func includeDirective(_ line: ParsedOption, of source: ProfileSource, into result: inout Result,
                                  stack: inout Includes) {
        let (target, unset) = ProfileParser.expand(line.arguments[0], with: variables)
        if let unset {
            result.errors.append(UsageError(line.origin, "${\(unset)} is not set"))
            return
        }
        var lineResult = Result()
        include(target, from: source, into: &lineResult, stack: &stack)
        result.options += lineResult.options
        result.errors += lineResult.errors.map { UsageError("\(line.origin.location): in '\(target)': \($0.message)") }
    }

    /// Any other directive, its variables expanded.
    private func applyDirective(_ line: ParsedOption, into result: inout Result) {
        var arguments: [ByteString] = []
        var unsetVariable: String?
        for argument in line.arguments {
            let (value, unset) = ProfileParser.expand(argument, with: variables)
            if unset != nil { unsetVariable = unset }
            arguments.append(value)
        }
        if let unsetVariable {
            // A path built from an unset variable does not exist: an optional directive does nothing.
            if !line.name.isOptional {
                result.errors.append(UsageError(line.origin, "${\(unsetVariable)} is not set (use the -try form "
                    + "if the path is optional)"))
            }
            return
        }
        result.options.append(ParsedOption(line.name, arguments, origin: line.origin))
    }

    private func resolve(_ reference: ByteString, from parent: ProfileSource?,
                         stack: Includes) throws(UsageError) -> ProfileSource {
        if reference.contains(UInt8(ascii: "/")) {
            var path = reference
            if !path.isAbsolute {
                guard let parent, parent.kind != .builtIn else {
                    path = (variables.value(of: "PWD") ?? "") + "/" + reference
                    return try read(path)
                }
                path = parent.path.parent + "/" + reference
            }
            return try read(path.lexicallyNormalized)
        }
        guard reference != ByteString(Self.none) else { throw UsageError("'none' is not a profile to include") }
        // A name is text: a profile file's name without its directory and ending.
        guard let name = reference.text else { throw UsageError("no profile named '\(reference)'") }
        // Inside NAME.profile, NAME is the next one in lookup order; with none after it, a cycle.
        let found = try sources(named: name)
        guard let source = found.first(where: { !stack.files.contains($0.path) }) else {
            if let last = found.last {
                let chain = (stack.files + [last.path]).map(\.description).joined(separator: " → ")
                throw UsageError("include cycle: \(chain) (inside \(reference).profile, 'include \(reference)' "
                    + "is the next profile of that name, and there is none after it)")
            }
            let known = available().map(\.name)
            let hint = Suggestion.closest(to: name, in: known).map { " (did you mean '\($0)'?)" } ?? ""
            let places = [userDirectory, Self.systemDirectory].compactMap { $0?.description }.joined(separator: ", ")
            let builtIn = BuiltinProfiles.names.joined(separator: ", ")
            throw UsageError("no profile named '\(reference)'\(hint); looked in \(places) and the built-in ones "
                + "(\(builtIn))")
        }
        return source
    }

    /// The profiles being included, innermost last, and how many directives were read in all (a file
    /// included twice at each of several levels would otherwise multiply them).
    struct Includes {
        var files: [ByteString] = []
        var directives = 0
    }

    private func read(_ path: ByteString) throws(UsageError) -> ProfileSource {
        guard let text = try store.read(path) else { throw UsageError("profile \(path): No such file or directory") }
        return ProfileSource(name: path.lastComponent.description, path: path, kind: .file, text: text)
    }
}
