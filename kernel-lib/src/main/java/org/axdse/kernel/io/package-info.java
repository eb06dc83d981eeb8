/** Small shared I/O pieces: {@link org.axdse.kernel.io.FileSource} (directories the library and data readers read through) and CSV. */
package org.axdse.kernel.io;
