/// Help text for a command: what it does, usage, its subcommands or arguments, its options, the
/// options it inherits, and examples. Plain text, 100 columns at most where the words allow.
public enum HelpText {
    /// The help of the last command in `chain` (the root first).
    public static func render(chain: [CommandSpec]) -> String {
        guard let command = chain.last else { return "" }
        let name = chain.map(\.name).joined(separator: " ")
        var lines: [String] = ["\(name): \(command.summary)", "", "Usage:"]
        if command.subcommands.isEmpty {
            let arguments = command.positionals.map { argument -> String in
                let word = argument.isVariadic ? "\(argument.name)..." : argument.name
                return argument.isOptional ? "[\(word)]" : word
            }
            lines.append("  " + ([name] + arguments + ["[options]"]).joined(separator: " "))
        } else {
            lines.append("  \(name) COMMAND [options]")
        }
        if !command.discussion.isEmpty {
            lines += [""] + command.discussion.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        }
        if !command.subcommands.isEmpty {
            lines += ["", "Commands:"] + aligned(command.subcommands.map { ($0.name, $0.summary) })
        }
        if !command.positionals.isEmpty {
            lines += ["", "Arguments:"] + aligned(command.positionals.map { ($0.name, $0.help) })
        }
        // The root's options apply everywhere: they are the global ones, shown under that title at every level.
        let own = chain.count > 1 ? command.options : []
        if !own.isEmpty {
            lines += ["", "Options:"] + aligned(own.map(optionRow))
        }
        let inherited = chain.dropLast(chain.count > 1 ? 1 : 0).flatMap(\.options)
        lines += ["", "Global options:"] + aligned(inherited.map(optionRow) + [("-h, --help", "show this help")])
        if !command.examples.isEmpty {
            lines += ["", "Examples:"] + command.examples.map { "  \($0)" }
        }
        if !command.subcommands.isEmpty {
            lines += ["", "Run `\(name) COMMAND --help` for a command's options and examples."]
        }
        return lines.joined(separator: "\n") + "\n"
    }

    private static func optionRow(_ option: OptionSpec) -> (String, String) {
        var left = option.short.map { "-\($0), " } ?? "    "
        left += "--\(option.long)"
        if let value = option.valueName { left += " \(value)" }
        return (left, option.help + (option.isRepeatable ? " (repeatable)" : ""))
    }

    /// Two columns: names padded to the widest, then the help.
    private static func aligned(_ rows: [(String, String)]) -> [String] {
        let width = min(rows.map(\.0.count).max() ?? 0, 34)
        return rows.map { left, right in
            left.count > width
                ? "  \(left)\n  \(String(repeating: " ", count: width))  \(right)"
                : "  \(left.padding(to: width))  \(right)"
        }
    }
}

extension String {
    /// The string padded with spaces on the right to `width` characters (never cut).
    func padding(to width: Int) -> String {
        count >= width ? self : self + String(repeating: " ", count: width - count)
    }
}
