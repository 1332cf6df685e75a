package engine

import (
	"fmt"
	"maps"
	"slices"
)

// The keys each mapping of a definition may hold, and those refused by
// name: one place, read by the parser for every state type (its row in
// stateKinds names the keys of its own).

// keySet is what a mapping of a definition may hold: the keys the
// documentation lists for it, and keys refused by name with the reason.
// Anything else is refused as unknown, with the nearest known key.
type keySet struct {
	known   []string
	refused map[string]string
}

// stateKeys are the keys every state has, besides those of its type. Next
// and End are here for every type: the validator says which types go on
// without them.
var stateKeys = []string{"Name", "Type", "Description", "Next", "End",
	"InputConstructor", "OutputConstructor", "GlobalConstructor"}

// The keys of the other mappings of a definition.
var (
	definitionKeys   = keySet{known: []string{"Type", "Name", "SpecVersion", "Description", "StartAt", "States"}}
	scopeKeys        = keySet{known: []string{"StartAt", "States"}} // a Parallel branch, a Map's Processor
	choiceBranchKeys = keySet{known: []string{"Condition", "Next"}}
	retryKeys        = keySet{known: []string{"Errors", "Description", "MaxAttempts", "IntervalSeconds", "BackoffRate", "MaxBackoffSeconds"}}
	catchKeys        = keySet{known: []string{"Errors", "Description", "Next", "OutputConstructor"}}
	// A Map's ItemBatcher and ProcessorConfig (the distributed-mode page).
	batcherKeys         = keySet{known: []string{"MaxItemsPerBatch", "MaxInputBytesPerBatch", "BatchInput"}}
	processorConfigKeys = keySet{known: []string{"Mode", "ExecutionMode"}}
	// A flow document is shaped like the DescribeFlow answer, plus
	// flowtui's own SampleInput and Error (what describe --json writes for a
	// flow that does not load; read back, the definition is checked anew).
	flowDocumentKeys = keySet{known: []string{"Name", "Id", "Type", "Definition", "Description", "RoleArn",
		"ExecutionMode", "CreatedTime", "LastModifiedTime", "Environment", "ResourceGroupId", "RequestId",
		"ExternalStorageLocation", "SampleInput", "Error"}}
)

// draftKeys are keys of older drafts of the CloudFlow spec, refused wherever
// they appear with what replaced them.
var draftKeys = map[string]string{
	"OnErrors":      "OnErrors is the 2023 draft syntax; use Retry and Catch",
	"FixedBackoff":  "FixedBackoff is the 2023 draft; use IntervalSeconds and BackoffRate",
	"Multiplier":    "Multiplier is the 2023 draft; use IntervalSeconds and BackoffRate",
	"UntilDateTime": "UntilDateTime is from an older draft of the spec: a Wait now waits a number of Seconds (or Seconds.$), at most 300 (20 in an Express flow)",
	"Timestamp":     "Timestamp is from an older draft of the spec (and timestamp from the legacy FDL): a Wait now waits a number of Seconds (or Seconds.$), at most 300 (20 in an Express flow)",
}

// needsOSS refuses a field of the Map that reads or writes OSS by name.
func needsOSS(key, does, instead string) string {
	return key + " " + does + ", which local runs cannot reach; " + instead
}

// stateKeySet is every key a state of row k may hold, and those it refuses:
// Retry and Catch are refused on the types that do not take them.
func (k *kindRow) stateKeySet() keySet {
	ks := keySet{known: append(slices.Clone(stateKeys), k.keys.known...), refused: maps.Clone(k.keys.refused)}
	for _, key := range []string{"Retry", "Catch"} {
		if k.retries {
			ks.known = append(ks.known, key)
			continue
		}
		if ks.refused == nil {
			ks.refused = map[string]string{}
		}
		ks.refused[key] = fmt.Sprintf("%s is allowed on %s states only", key, inWords(typeNames(true)))
	}
	return ks
}
