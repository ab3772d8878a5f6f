// sluiced: the Sluice broker executable. Reads the config (file, then SLUICE_* environment, then
// --key=value or --key value flags), starts the broker, and drains it on SIGINT/SIGTERM.
import Foundation
import SluiceBroker
import SluiceIO
import SluiceLog

func fail(_ message: String) -> Never {
    FileHandle.standardError.write(Data("error: \(message)\n".utf8))
    exit(2)
}

let usage = """
    usage: sluiced [--config FILE] [--override KEY=VALUE ...] [--KEY=VALUE ...]
           sluiced --settings     every setting: values, default, meaning (a Markdown table)

      Starts a broker. Settings come from FILE (Kafka-style key=value lines), then from SLUICE_<KEY>
      environment variables (SLUICE_LOG_DIRS=/var/lib/sluice), then from --override KEY=VALUE or
      --KEY=VALUE (or --KEY VALUE) flags. With no arguments: 127.0.0.1:9092, data in ./data.
      Examples:
        sluiced --listeners=127.0.0.1:9092 --log.dirs=data
        sluiced --config deploy/single/sluice.properties --node.id=1
    """

let arguments = Array(CommandLine.arguments.dropFirst())
if arguments.first == "-h" || arguments.first == "--help" { print(usage); exit(0) }
if arguments.first == "--settings" { print(BrokerConfig.settingsTable); exit(0) }
runBroker(arguments)

func runBroker(_ arguments: [String]) -> Never {
    // SIGINT and SIGTERM (and SIGHUP, the certificate reload) are blocked in every thread
    // (threads inherit the mask, so this comes before any is started) and taken by sigwait
    // below: shutdown and reloads run on the main thread.
    // (A local, not a global: main.swift globals are set only when execution reaches them.)
    var shutdownSignals = sigset_t()
    sigemptyset(&shutdownSignals)
    sigaddset(&shutdownSignals, SIGINT)
    sigaddset(&shutdownSignals, SIGTERM)
    sigaddset(&shutdownSignals, SIGHUP)
    pthread_sigmask(SIG_BLOCK, &shutdownSignals, nil)
    // Connections and open segment files each hold a descriptor: take all the administrator allows.
    let descriptors = DescriptorLimit.raiseToHardLimit()
    let config: BrokerConfig
    do {
        config = try BrokerConfig(commandLine: arguments, environment: ProcessInfo.processInfo.environment)
    } catch {
        fail(error.description)
    }
    Diagnostics.configure(format: config.diagnosticsFormat, node: config.nodeID)
    // Before any partition opens: the budget for segment files kept open between uses.
    SegmentFileCache.shared.capacity = config.logOpenFilesMax

    let broker: KafkaBroker
    do {
        broker = try KafkaBroker(config: config)
        // A SIGINT/SIGTERM while the node waits to join its cluster ends the wait (it is then
        // taken by sigwait below, which drains at once).
        try broker.start(keepWaiting: {
            var pending = sigset_t()
            sigpending(&pending)
            return sigismember(&pending, SIGINT) != 1 && sigismember(&pending, SIGTERM) != 1
        })
    } catch {
        fail("cannot start: \(error)")
    }
    let advertised = config.advertisedAddress(of: config.clientListeners[0], boundPort: broker.port)
    Diagnostics.info("file descriptors: \(descriptors.after) (soft limit was \(descriptors.before)); max.connections=\(config.maxConnections), log.open.files.max=\(config.logOpenFilesMax), max.partitions=\(config.maxPartitions)")
    Diagnostics.info("sluiced started: node \(config.nodeID) on \(config.listenHost):\(broker.port), data in \(config.logDirectory)")
    // Further client listeners first: the last line ("listening on", the first listener) is the
    // one scripts wait for.
    for listener in config.clientListeners.dropFirst() {
        let address = config.advertisedAddress(of: listener, boundPort: broker.port(of: listener.name) ?? 0)
        Diagnostics.info("listener \(listener.name) on \(listener.host):\(broker.port(of: listener.name) ?? 0) (advertised \(address.host):\(address.port))")
    }
    printFlushed("sluiced: node \(config.nodeID) listening on \(config.listenHost):\(broker.port) (advertised \(advertised.host):\(advertised.port)), data in \(config.logDirectory)")

    var received: Int32 = 0
    repeat {
        sigwait(&shutdownSignals, &received)
        if received == SIGHUP { broker.reloadCertificates() }
    } while received == SIGHUP
    Diagnostics.info("signal received: draining")
    printFlushed("sluiced: draining")
    broker.shutdown()
    Diagnostics.info("stopped cleanly")
    printFlushed("sluiced: stopped")
    exit(0)
}

/// Writes a line straight to the file descriptor, so a supervisor reading a pipe sees it at once.
func printFlushed(_ line: String) {
    FileHandle.standardOutput.write(Data((line + "\n").utf8))
}
