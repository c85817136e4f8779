export const bundleApiVersion = 'kubetriage.io/v1'; export const bundleKind = 'KubetriageSnapshot';
