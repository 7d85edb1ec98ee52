package io.nexusmonitor.cli;

import picocli.CommandLine.Command;

/** {@code nexus-monitor config init|check}: write or validate a config file. */
@Command(
        name = "config",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = "Write an example config file or check one.",
        subcommands = {ConfigInitCommand.class, ConfigCheckCommand.class})
final class ConfigCommand {}
