/// One option of a command: `--long`, optionally `-s`, either a flag or taking a value.
public struct OptionSpec: Sendable, Equatable {
    /// The long name without dashes, e.g. `brokers`; also the key `ParsedCommand` looks it up by.
    public var long: String
    /// The one-letter short form, e.g. `b` for `-b`.
    public var short: Character?
    /// What the value is called in help (`N`, `HOST:PORT`); nil for a flag.
    public var valueName: String?
    /// One line of help.
    public var help: String
    /// Whether the option may be given more than once (`-H a=1 -H b=2`).
    public var isRepeatable: Bool

    /// An option that takes a value.
    public static func value(_ long: String, _ short: Character? = nil, _ valueName: String, repeatable: Bool = false,
                             help: String) -> OptionSpec {
        OptionSpec(long: long, short: short, valueName: valueName, help: help, isRepeatable: repeatable)
    }

    /// A flag (no value).
    public static func flag(_ long: String, _ short: Character? = nil, help: String) -> OptionSpec {
        OptionSpec(long: long, short: short, valueName: nil, help: help, isRepeatable: false)
    }

    /// Whether the option takes a value.
    public var takesValue: Bool { valueName != nil }
}

/// A positional argument of a command.
public struct PositionalSpec: Sendable, Equatable {
    /// What the argument is called in help (`TOPIC`).
    public var name: String
    /// One line of help.
    public var help: String
    /// Whether it may be left out.
    public var isOptional: Bool
    /// Whether it takes every remaining argument (`TOPIC...`).
    public var isVariadic: Bool

    /// A positional argument.
    public init(_ name: String, help: String, optional: Bool = false, variadic: Bool = false) {
        self.name = name
        self.help = help
        self.isOptional = optional
        self.isVariadic = variadic
    }
}

/// A command or a group of subcommands. Options of a command apply to its subcommands too
/// (the root's `--brokers` works everywhere), so they are declared once, at the highest level they mean something.
public struct CommandSpec: Sendable, Equatable {
    /// The word that selects the command (`create` in `sluice topic create`).
    public var name: String
    /// One line: what it does.
    public var summary: String
    /// Paragraphs shown under the usage line; may be empty.
    public var discussion: String
    /// Options of this command (and, inherited, of its subcommands).
    public var options: [OptionSpec]
    /// Positional arguments, in order (only for commands without subcommands).
    public var positionals: [PositionalSpec]
    /// Example invocations, each with a `# comment` saying what it does.
    public var examples: [String]
    /// Subcommands; empty for a command that runs.
    public var subcommands: [CommandSpec]

    /// A command from its parts.
    public init(_ name: String, summary: String, discussion: String = "", options: [OptionSpec] = [],
                positionals: [PositionalSpec] = [], examples: [String] = [], subcommands: [CommandSpec] = []) {
        self.name = name
        self.summary = summary
        self.discussion = discussion
        self.options = options
        self.positionals = positionals
        self.examples = examples
        self.subcommands = subcommands
    }

    /// The subcommand named `name`.
    public func subcommand(_ name: String) -> CommandSpec? {
        subcommands.first { $0.name == name }
    }

    /// Every runnable command below (and including) this one, with its path from here.
    public func leaves(prefix: [String] = []) -> [(path: [String], spec: CommandSpec)] {
        let path = prefix + [name]
        if subcommands.isEmpty { return [(path, self)] }
        return subcommands.flatMap { $0.leaves(prefix: path) }
    }
}
