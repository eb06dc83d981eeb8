/** Small shared I/O helpers (CSV) used by the library and data readers. */
package org.axdse.kernel.io;
