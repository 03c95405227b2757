// The k6 release tiergate is built and tested against: scripts/install-k6.sh reads it from
// here to build k6, and k6-operator's runners run its image.
export const K6_PINNED_VERSION = 'v1.8.1';
