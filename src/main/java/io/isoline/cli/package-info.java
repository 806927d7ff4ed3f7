/**
 * The command line: {@code serve} and {@code translate} (picocli via quarkus-picocli), the options
 * they share, and the translate contract's JSON rendering. Thin: commands wire sources, the core and
 * serving together and decide nothing about what Envoy does.
 */
package io.isoline.cli;
