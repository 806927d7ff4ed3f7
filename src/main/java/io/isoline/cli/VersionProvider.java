package io.isoline.cli;

import picocli.CommandLine.IVersionProvider;

/** Prints the version the jar was built as. */
public class VersionProvider implements IVersionProvider {
    @Override
    public String[] getVersion() {
        String v = IsolineCommand.class.getPackage().getImplementationVersion();
        return new String[] {"isoline " + (v == null ? "(development build)" : v)};
    }
}
