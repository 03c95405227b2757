// The k6 versions tiergate supports. tiergate does not ship k6: users bring their own.
//   K6_MINIMUM_VERSION   older is refused (k6 1.0 settled the options, summary and JSON output
//                        tiergate reads, and runs the TypeScript scenarios natively)
//   K6_VERIFIED_VERSION  the last real k6 the k6 tests passed against (`K6_BIN=… npm run
//                        test:k6`); a newer major gets a warning. k6-operator's default runner
//                        image refers to it; the image is the user's to pick and pin.
export const K6_MINIMUM_VERSION = 'v1.0.0';
export const K6_VERIFIED_VERSION = 'v1.8.1';
