import SluiceCommandLine
import XCTest

final class ParserTests: XCTestCase {
    private let parser = ArgumentParser(root: SluiceCommands.root)

    private func run(_ arguments: [String]) throws -> ParsedCommand {
        guard case .run(let command) = try parser.parse(arguments) else {
            XCTFail("expected a command for \(arguments)")
            throw UsageError("not a command")
        }
        return command
    }

    private func usageError(_ arguments: [String]) -> UsageError? {
        do {
            _ = try parser.parse(arguments)
            return nil
        } catch {
            return error
        }
    }

    func testCommandPathPositionalsAndOptionForms() throws {
        let command = try run(["topic", "create", "orders", "audit", "-p", "6", "--replicas=3", "-cretention.ms=1", "-c", "a=b"])
        XCTAssertEqual(command.path, ["topic", "create"])
        XCTAssertEqual(command.positionals, ["orders", "audit"])
        XCTAssertEqual(try command.integer("partitions", in: 1...100) as Int32?, 6)
        XCTAssertEqual(try command.integer("replicas", in: 1...100) as Int16?, 3)
        XCTAssertEqual(command.strings("config"), ["retention.ms=1", "a=b"])
    }

    func testGlobalOptionsWorkBeforeAndAfterTheCommand() throws {
        XCTAssertEqual(try run(["--brokers", "h:1", "topic", "list"]).string("brokers"), "h:1")
        XCTAssertEqual(try run(["topic", "list", "-b", "h:2", "--json"]).string("brokers"), "h:2")
        XCTAssertTrue(try run(["topic", "list", "--json"]).flag("json"))
    }

    func testClusteredShortFlagsAndNegativeValues() throws {
        let command = try run(["consume", "t", "-eo", "-10", "-n", "5"])
        XCTAssertTrue(command.flag("exit"))
        XCTAssertEqual(command.string("offset"), "-10")
        let shift = try run(["group", "reset-offsets", "g", "--all-topics", "--shift-by", "-5"])
        XCTAssertEqual(shift.string("shift-by"), "-5")
    }

    func testDoubleDashEndsOptions() throws {
        XCTAssertEqual(try run(["topic", "delete", "--", "-weird"]).positionals, ["-weird"])
    }

    func testLastValueWinsUnlessRepeatable() throws {
        let command = try run(["produce", "t", "-p", "1", "-p", "2", "-H", "a=1", "-H", "b=2"])
        XCTAssertEqual(command.string("partition"), "2")
        XCTAssertEqual(command.strings("header"), ["a=1", "b=2"])
    }

    func testHelpAtEveryLevel() throws {
        for arguments in [[], ["--help"], ["topic"], ["topic", "-h"], ["help", "topic", "create"], ["consume", "t", "--help"]] {
            guard case .help(let text) = try parser.parse(arguments) else { return XCTFail("no help for \(arguments)") }
            XCTAssertTrue(text.contains("Usage:"), "\(arguments)")
        }
        guard case .help(let text) = try parser.parse(["topic", "create", "-h"]) else { return XCTFail() }
        XCTAssertTrue(text.hasPrefix("sluice topic create: create topics"))
        XCTAssertTrue(text.contains("-p, --partitions N"))
        XCTAssertTrue(text.contains("-b, --brokers HOST:PORT,..."), "inherited options are listed")
        XCTAssertTrue(text.contains("Examples:"))
    }

    func testEveryRunnableCommandHasExamplesAndEveryOptionHelp() {
        for (path, spec) in SluiceCommands.root.leaves() {
            XCTAssertFalse(spec.examples.isEmpty, "\(path) has no examples")
            for option in spec.options { XCTAssertFalse(option.help.isEmpty, "\(path) --\(option.long)") }
            let shorts = (SluiceCommands.root.options + spec.options).compactMap(\.short)
            XCTAssertEqual(shorts.count, Set(shorts).count, "\(path) reuses a short option")
            XCTAssertFalse(shorts.contains("h"), "-h is help")
        }
    }

    func testMistakesNameTheWordAndSuggestAFix() {
        let unknownCommand = usageError(["topic", "craete"])
        XCTAssertEqual(unknownCommand?.message, "unknown command 'craete' for 'sluice topic'")
        XCTAssertTrue(unknownCommand?.fix.contains("did you mean `sluice topic create`?") ?? false, "\(String(describing: unknownCommand))")
        let unknownOption = usageError(["topic", "create", "t", "--partitons", "3"])
        XCTAssertEqual(unknownOption?.message, "unknown option '--partitons' for 'sluice topic create'")
        XCTAssertTrue(unknownOption?.fix.hasPrefix("did you mean --partitions?") ?? false)
        XCTAssertEqual(usageError(["consume", "t", "-o"])?.message, "option -o (--offset) needs a value (SPEC)")
        XCTAssertEqual(usageError(["topic", "create"])?.message, "'sluice topic create' needs TOPIC")
        XCTAssertEqual(usageError(["topic", "alter-config", "a", "b"])?.message, "unexpected argument 'b' for 'sluice topic alter-config'")
        XCTAssertEqual(usageError(["topic", "list", "--json=yes"])?.message, "option --json is a flag and takes no value")
        XCTAssertEqual(usageError(["topic", "list", "-Z"])?.message, "unknown option '-Z' for 'sluice topic list'")
    }

    func testIntegerRangeErrors() throws {
        let command = try run(["topic", "create", "t", "-p", "zero"])
        XCTAssertThrowsError(try command.integer("partitions", in: Int32(1)...1_000)) { error in
            XCTAssertEqual((error as? UsageError)?.message, "--partitions takes a whole number from 1 to 1000, not 'zero'")
        }
    }

    func testClosestMatch() {
        XCTAssertEqual(closestMatch(to: "desc", in: ["describe", "delete"]), "describe")
        XCTAssertEqual(closestMatch(to: "lsit", in: ["list", "create"]), "list")
        XCTAssertNil(closestMatch(to: "zzzzzz", in: ["list", "create"]))
    }
}
