#if canImport(Glibc)
import Glibc
#endif
import SluiceCommandLine
import SluiceIO

/// `sluice top`: scrapes every node's /metrics once a second and shows `TopView`.
@MainActor
enum TopCommand {
    static func run(_ context: CommandContext) async throws -> Int32 {
        let option = context.command.string("metrics") ?? environmentValue("SLUICE_METRICS") ?? "127.0.0.1:9644"
        let nodes = option.split(separator: ",").map { String($0.filter { $0 != " " }) }.filter { !$0.isEmpty }
        guard !nodes.isEmpty, nodes.allSatisfy({ address($0) != nil }) else {
            throw UsageError("--metrics wants HOST:PORT,... (the nodes' admin.listeners), got '\(option)'",
                             fix: "sluice top -m 127.0.0.1:9644,127.0.0.1:9645")
        }
        let count: Int? = try context.command.integer("count", in: 1...1_000_000)
        let live = count == nil && Terminal.standardOutput.isTerminal && isatty(0) == 1
        let views = count ?? (live ? Int.max : 1)
        let keys = live ? RawKeyboard() : nil
        defer { keys?.restore() }
        var before = scrape(nodes)
        var taken = monotonicNanos()
        for shown in 0..<views {
            if keys?.waitForQuit(milliseconds: 1000) == true { break }
            if keys == nil { try await Task.sleep(nanoseconds: 1_000_000_000) }
            let after = scrape(nodes)
            let now = monotonicNanos()
            let view = TopView(before: before, after: after, seconds: Double(now - taken) / 1e9)
            let (width, height) = terminalSize()
            if live {
                Terminal.standardOutput.write("\u{1B}[H\u{1B}[2J" + view.render(width: width, height: height - 1).joined(separator: "\r\n")
                                      + "\r\n(q quits)")
            } else {
                if shown > 0 { Terminal.standardOutput.write("\n") }
                Terminal.standardOutput.write(view.render(width: Int.max, height: Int.max).joined(separator: "\n") + "\n")
            }
            Terminal.standardOutput.flush()
            (before, taken) = (after, now)
        }
        if live { Terminal.standardOutput.write("\r\n"); Terminal.standardOutput.flush() }
        return ExitStatus.success
    }

    private static func environmentValue(_ name: String) -> String? {
        getenv(name).map { String(cString: $0) }
    }

    private static func address(_ text: String) -> (host: String, port: UInt16)? {
        guard let colon = text.lastIndex(of: ":"), let port = UInt16(text[text.index(after: colon)...]) else { return nil }
        return (String(text[..<colon]), port)
    }

    /// Every node's samples, nil for a node that did not answer within a second.
    private static func scrape(_ nodes: [String]) -> [TopView.Scrape] {
        nodes.map { node in
            guard let (host, port) = address(node),
                  let stream = try? BlockingStream.connect(host: host, port: port, timeoutMillis: 1000),
                  (try? stream.write(Array("GET /metrics HTTP/1.1\r\nHost: \(node)\r\nConnection: close\r\n\r\n".utf8), shouldContinue: { true })) != nil,
                  let answer = try? stream.readToEnd(maxBytes: 64 << 20, timeoutMillis: 1000) else {
                return TopView.Scrape(node: node, samples: nil)
            }
            // The body follows the blank line after the status line and headers.
            guard answer.starts(with: Array("HTTP/1.1 200".utf8)),
                  let end = (3..<answer.count).first(where: { answer[$0 - 3...$0].elementsEqual([13, 10, 13, 10]) }) else {
                return TopView.Scrape(node: node, samples: nil)
            }
            return TopView.Scrape(node: node, samples: PrometheusText.parse(String(decoding: answer[(end + 1)...], as: UTF8.self)))
        }
    }

    private static func terminalSize() -> (Int, Int) {
        var size = winsize()
        guard ioctl(1, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0, size.ws_row > 0 else { return (100, 30) }
        return (Int(size.ws_col), Int(size.ws_row))
    }
}

/// The terminal in raw mode while `top` runs, so a single `q` (or Ctrl-C) ends it; restored after.
@MainActor
final class RawKeyboard {
    private var saved = termios()
    private var active = false

    init() {
        guard tcgetattr(0, &saved) == 0 else { return }
        var raw = saved
        raw.c_lflag &= ~tcflag_t(ICANON | ECHO)
        active = tcsetattr(0, TCSANOW, &raw) == 0
    }

    /// Waits up to `milliseconds` for a key; true when it is `q` (or input ended).
    func waitForQuit(milliseconds: Int32) -> Bool {
        var pfd = pollfd(fd: 0, events: Int16(POLLIN), revents: 0)
        guard poll(&pfd, 1, milliseconds) > 0 else { return interruptRequested.load(ordering: .relaxed) }
        var byte: UInt8 = 0
        let got = read(0, &byte, 1)
        return got <= 0 || byte == UInt8(ascii: "q") || byte == 3
    }

    func restore() {
        if active { _ = tcsetattr(0, TCSANOW, &saved) }
        active = false
    }
}
