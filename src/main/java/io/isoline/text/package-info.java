/**
 * Rendering untrusted text (anything an xDS client or an object's owner wrote) for logs and
 * statuses: control characters escaped, length bounded. Depends on nothing.
 */
package io.isoline.text;
