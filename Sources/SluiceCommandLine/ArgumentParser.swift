/// A command line resolved against a `CommandSpec` tree: which command, its positional arguments
/// and option values. Typed getters throw `UsageError` naming the option and what it expects.
public struct ParsedCommand: Sendable, Equatable {
    /// The command words after the program name, e.g. `["topic", "create"]`.
    public var path: [String]
    /// Positional arguments in order.
    public var positionals: [String]
    /// Values of options that take one, by long name, in the order given.
    public var values: [String: [String]]
    /// Flags given, by long name.
    public var flags: Set<String>

    /// The last value of `long`, if given.
    public func string(_ long: String) -> String? { values[long]?.last }

    /// Every value of a repeatable option, in order.
    public func strings(_ long: String) -> [String] { values[long] ?? [] }

    /// Whether a flag was given.
    public func flag(_ long: String) -> Bool { flags.contains(long) }

    /// The value of `long` as an integer in `range`, if given.
    public func integer<Number: FixedWidthInteger & Sendable>(_ long: String, in range: ClosedRange<Number>) throws(UsageError) -> Number? {
        guard let text = string(long) else { return nil }
        guard let number = Number(text), range.contains(number) else {
            throw UsageError("--\(long) takes a whole number from \(range.lowerBound) to \(range.upperBound), not '\(text)'")
        }
        return number
    }
}

/// What a command line asks for: run a command, or show help text (exit 0).
public enum ParseOutcome: Sendable, Equatable {
    /// Run this command.
    case run(ParsedCommand)
    /// Print this help text to stdout and exit 0.
    case help(String)
}

/// Parses command lines in the style of rpk and kcat: `program group command [args] [options]`,
/// options anywhere after the command words that declare them, `--name value`, `--name=value`,
/// `-x value`, `-xvalue`, clustered short flags (`-eq`), `--` ends options, `-h`/`--help` at every
/// level, and `help WORDS...` as a synonym for `WORDS... --help`.
public struct ArgumentParser: Sendable {
    /// The root command (the program).
    public let root: CommandSpec

    /// A parser over `root`.
    public init(root: CommandSpec) { self.root = root }

    /// Resolves `arguments` (without the program name).
    public func parse(_ arguments: [String]) throws(UsageError) -> ParseOutcome {
        if arguments.first == "help" { return try parse(Array(arguments.dropFirst()) + ["--help"]) }
        var state = ParseState(chain: [root])
        var index = 0
        while index < arguments.count {
            let argument = arguments[index]
            index += 1
            if state.optionsEnded || argument == "-" || !argument.hasPrefix("-") {
                try state.takeWord(argument, programName: root.name)
            } else if argument == "--" {
                state.optionsEnded = true
            } else if argument == "-h" || argument == "--help" {
                state.helpWanted = true
            } else if argument.hasPrefix("--") {
                try state.takeLongOption(argument, next: { () -> String? in
                    defer { index += 1 }
                    return index < arguments.count ? arguments[index] : nil
                })
            } else {
                try state.takeShortOptions(argument, next: { () -> String? in
                    defer { index += 1 }
                    return index < arguments.count ? arguments[index] : nil
                })
            }
        }
        if state.helpWanted || !(state.chain.last?.subcommands.isEmpty ?? true) {
            return .help(HelpText.render(chain: state.chain))
        }
        try state.checkPositionals()
        return .run(ParsedCommand(path: state.chain.dropFirst().map(\.name), positionals: state.positionals,
                                  values: state.values, flags: state.flags))
    }
}

/// The parser's progress through one command line.
private struct ParseState {
    var chain: [CommandSpec]
    var positionals: [String] = []
    var values: [String: [String]] = [:]
    var flags: Set<String> = []
    var optionsEnded = false
    var helpWanted = false

    var commandName: String { chain.map(\.name).joined(separator: " ") }
    var knownOptions: [OptionSpec] { chain.flatMap(\.options) }
    var helpHint: String { "see `\(commandName) --help`" }

    mutating func takeWord(_ word: String, programName: String) throws(UsageError) {
        guard let current = chain.last, !current.subcommands.isEmpty else {
            positionals.append(word)
            return
        }
        guard let next = current.subcommand(word) else {
            let names = current.subcommands.map(\.name)
            if helpWanted { return }  // `sluice topic bogus --help`: show what exists instead
            let suggestion = closestMatch(to: word, in: names).map { "did you mean `\(commandName) \($0)`? " } ?? ""
            throw UsageError("unknown command '\(word)' for '\(commandName)'",
                             fix: "\(suggestion)commands: \(names.joined(separator: ", ")); \(helpHint)")
        }
        chain.append(next)
    }

    mutating func takeLongOption(_ argument: String, next: () -> String?) throws(UsageError) {
        let body = argument.dropFirst(2)
        let name: String, inline: String?
        if let equals = body.firstIndex(of: "=") {
            name = String(body[..<equals])
            inline = String(body[body.index(after: equals)...])
        } else {
            name = String(body)
            inline = nil
        }
        guard let option = knownOptions.last(where: { $0.long == name }) else {
            let suggestion = closestMatch(to: name, in: knownOptions.map(\.long)).map { "did you mean --\($0)? " } ?? ""
            throw UsageError("unknown option '--\(name)' for '\(commandName)'", fix: suggestion + helpHint)
        }
        if option.takesValue {
            guard let value = inline ?? next() else {
                throw UsageError("option --\(name) needs a value (\(option.valueName ?? "VALUE"))", fix: helpHint)
            }
            record(option, value)
        } else {
            guard inline == nil else { throw UsageError("option --\(name) is a flag and takes no value", fix: helpHint) }
            flags.insert(option.long)
        }
    }

    mutating func takeShortOptions(_ argument: String, next: () -> String?) throws(UsageError) {
        var letters = Substring(argument.dropFirst())
        while let letter = letters.first {
            letters = letters.dropFirst()
            if letter == "h" {
                helpWanted = true
                continue
            }
            guard let option = knownOptions.last(where: { $0.short == letter }) else {
                throw UsageError("unknown option '-\(letter)' for '\(commandName)'", fix: helpHint)
            }
            guard option.takesValue else {
                flags.insert(option.long)
                continue
            }
            guard let value = letters.isEmpty ? next() : String(letters) else {
                throw UsageError("option -\(letter) (--\(option.long)) needs a value (\(option.valueName ?? "VALUE"))", fix: helpHint)
            }
            record(option, value)
            return
        }
    }

    mutating func record(_ option: OptionSpec, _ value: String) {
        if option.isRepeatable {
            values[option.long, default: []].append(value)
        } else {
            values[option.long] = [value]  // the last one given wins, as in kcat and rpk
        }
    }

    func checkPositionals() throws(UsageError) {
        guard let spec = chain.last?.positionals else { return }
        let required = spec.filter { !$0.isOptional }.count
        if positionals.count < required {
            let missing = spec.filter { !$0.isOptional }[positionals.count].name
            throw UsageError("'\(commandName)' needs \(missing)", fix: helpHint)
        }
        if !(spec.last?.isVariadic ?? false) && positionals.count > spec.count {
            let extra = positionals[spec.count]
            throw UsageError("unexpected argument '\(extra)' for '\(commandName)'", fix: helpHint)
        }
    }
}
