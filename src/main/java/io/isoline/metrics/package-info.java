/**
 * Meters (Micrometer, scraped at {@code /q/metrics}). At the bottom of the dependency order: serving
 * and status record into it; it depends on nothing of Isoline's.
 */
package io.isoline.metrics;
