/**
 * Data set readers: IDX (MNIST, Fashion-MNIST) and CIFAR-10 binary, into normalised NCHW
 * {@link org.axdse.kernel.data.ImageSet}s; "N images" always means the first N in file order.
 */
package org.axdse.kernel.data;
