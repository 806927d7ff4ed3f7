/**
 * Typed configuration ({@code @ConfigMapping} interfaces) for the wiring layers. The core never
 * reads configuration: it takes plain option records built from this and from command-line flags.
 */
package io.isoline.config;
