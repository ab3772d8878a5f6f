// generated from proto/ — do not edit

// Sample values for every generated message, used by the codec tests (and usable as fuzz seeds).
// They live with the tests, not in the library.

@testable import SluiceWire

extension AddRaftVoterRequest {
    /// A value with every field of `version` set to something other than its default; with
    /// `nulls`, fields nullable in that version are nil instead.
    static func sample(version: Int16, nulls: Bool = false) -> Self {
        var value = Self()
        value.clusterId = nulls ? nil : "clusterId-1-é"
        value.timeoutMs = 1002
        value.voterId = 1003
        value.voterDirectoryId = WireUUID(high: 4, low: 0x0123_4567_89ab_cdef)
        value.listeners = [Listener.sample(version: version, nulls: nulls), Listener.sample(version: version, nulls: nulls)]
        if version >= 1 { value.ackWhenCommitted = false }
        return value
    }
}

extension AddRaftVoterRequest.Listener {
    /// A value with every field of `version` set to something other than its default; with
    /// `nulls`, fields nullable in that version are nil instead.
    static func sample(version: Int16, nulls: Bool = false) -> Self {
        var value = Self()
        value.name = "name-7-é"
        value.host = "host-8-é"
        value.port = 209
        return value
    }
}

extension AddRaftVoterResponse {
    /// A value with every field of `version` set to something other than its default; with
    /// `nulls`, fields nullable in that version are nil instead.
    static func sample(version: Int16, nulls: Bool = false) -> Self {
        var value = Self()
        value.throttleTimeMs = 1010
        value.errorCode = 111
        value.errorMessage = nulls ? nil : "errorMessage-12-é"
        return value
    }
}

extension AlterClientQuotasRequest {
    /// A value with every field of `version` set to something other than its default; with
    /// `nulls`, fields nullable in that version are nil instead.
    static func sample(version: Int16, nulls: Bool = false) -> Self {
        var value = Self()
        value.entries = [Entry.sample(version: version, nulls: nulls), Entry.sample(version: version, nulls: nulls)]
        value.validateOnly = true
        return value
    }
}

extension AlterClientQuotasRequest.Entry {
    /// A value with every field of `version` set to something other than its default; with
    /// `nulls`, fields nullable in that version are nil instead.
    static func sample(version: Int16, nulls: Bool = false) -> Self {
        var value = Self()
        value.entity = [Entity.sample(version: version, nulls: nulls), Entity.sample(version: version, nulls: nulls)]
        value.ops = [Op.sample(version: version, nulls: nulls), Op.sample(version: version, nulls: nulls)]
        return value
    }
}

extension AlterClientQuotasRequest.Entry.Entity {
    /// A value with every field of `version` set to something other than its default; with
    /// `nulls`, fields nullable in that version are nil instead.
    static func sample(version: Int16, nulls: Bool = false) -> Self {
        var value = Self()
        value.entityType = "entityType-5-é"
        value.entityName = nulls ? nil : "entityName-6-é"
        return value
    }
}

extension AlterClientQuotasRequest.Entry.Op {
    /// A value with every field of `version` set to something other than its default; with
    /// `nulls`, fields nullable in that version are nil instead.
    static func sample(version: Int16, nulls: Bool = false) -> Self {
        var value = Self()
        value.key = "key-7-é"
        value.value = 8.5
        value.remove = true
        return value
    }
}

extension AlterClientQuotasResponse {
    /// A value with every field of `version` set to something other than its default; with
    /// `nulls`, fields nullable in that version are nil instead.
    static func sample(version: Int16, nulls: Bool = false) -> Self {
        var value = Self()
        value.throttleTimeMs = 1010
        value.entries = [EntryResult.sample(version: version, nulls: nulls), EntryResult.sample(version: version, nulls: nulls)]
        return value
    }
}

extension AlterClientQuotasResponse.EntryResult {
    /// A value with every field of `version` set to something other than its default; with
    /// `nulls`, fields nullable in that version are nil instead.
    static func sample(version: Int16, nulls: Bool = false) -> Self {
        var value = Self()
        value.errorCode = 112
        value.errorMessage = nulls ? nil : "errorMessage-13-é"
        value.entity = [Entity.sample(version: version, nulls: nulls), Entity.sample(version: version, nulls: nulls)]
        return value
    }
}

extension AlterClientQuotasResponse.EntryResult.Entity {
    /// A value with every field of `version` set to something other than its default; with
    /// `nulls`, fields nullable in that version are nil instead.
    static func sample(version: Int16, nulls: Bool = false) -> Self {
        var value = Self()
        value.entityType = "entityType-15-é"
        value.entityName = nulls ? nil : "entityName-16-é"
        return value
    }
}

extension AlterConfigsRequest {
    /// A value with every field of `version` set to something other than its default; with
    /// `nulls`, fields nullable in that version are nil instead.
    static func sample(version: Int16, nulls: Bool = false) -> Self {
        var value = Self()
        value.resources = [Resource.sample(version: version, nulls: nulls), Resource.sample(version: version, nulls: nulls)]
        value.validateOnly = true
        return value
    }
}

extension AlterConfigsRequest.Resource {
    /// A value with every field of `version` set to something other than its default; with
    /// `nulls`, fields nullable in that version are nil instead.
    static func sample(version: Int16, nulls: Bool = false) -> Self {
        var value = Self()
        value.resourceType = 13
        value.resourceName = "resourceName-4-é"
        value.configs = [Config.sample(version: version, nulls: nulls), Config.sample(version: version, nulls: nulls)]
        return value
    }
}

extension AlterConfigsRequest.Resource.Config {
    /// A value with every field of `version` set to something other than its default; with
    /// `nulls`, fields nullable in that version are nil instead.
    static func sample(version: Int16, nulls: Bool = false) -> Self {
        var value = Self()
        value.name = "name-6-é"
        value.value = nulls ? nil : "value-7-é"
        return value
    }
}

extension AlterConfigsResponse {
    /// A value with every field of `version` set to something other than its default; with
    /// `nulls`, fields nullable in that version are nil instead.
    static func sample(version: Int16, nulls: Bool = false) -> Self {
        var value = Self()
        value.throttleTimeMs = 1008
        value.responses = [Resource.sample(version: version, nulls: nulls), Resource.sample(version: version, nulls: nulls)]
        return value
    }
}

extension AlterConfigsResponse.Resource {
    /// A value with every field of `version` set to something other than its default; with
    /// `nulls`, fields nullable in that version are nil instead.
    static func sample(version: Int16, nulls: Bool = false) -> Self {
        var value = Self()
        value.errorCode = 110
        value.errorMessage = nulls ? nil : "errorMessage-11-é"
        value.resourceType = 22
        value.resourceName = "resourceName-13-é"
        return value
    }
}

extension AlterPartitionReassignmentsRequest {
    /// A value with every field of `version` set to something other than its default; with
    /// `nulls`, fields nullable in that version are nil instead.
    static func sample(version: Int16, nulls: Bool = false) -> Self {
        var value = Self()
        value.timeoutMs = 1001
        value.topics = [Topic.sample(version: version, nulls: nulls), Topic.sample(version: version, nulls: nulls)]
        return value
    }
}

extension AlterPartitionReassignmentsRequest.Topic {
    /// A value with every field of `version` set to something other than its default; with
    /// `nulls`, fields nullable in that version are nil instead.
    static func sample(version: Int16, nulls: Bool = false) -> Self {
        var value = Self()
        value.name = "name-3-é"
        value.partitions = [Partition.sample(version: version, nulls: nulls), Partition.sample(version: version, nulls: nulls)]
        return value
    }
}

extension AlterPartitionReassignmentsRequest.Topic.Partition {
    /// A value with every field of `version` set to something other than its default; with
    /// `nulls`, fields nullable in that version are nil instead.
    static func sample(version: Int16, nulls: Bool = false) -> Self {
        var value = Self()
        value.partitionIndex = 1005
        value.replicas = nulls ? nil : [1006, 1006]
        return value
    }
}

extension AlterPartitionReassignmentsResponse {
    /// A value with every field of `version` set to something other than its default; with
    /// `nulls`, fields nullable in that version are nil instead.
    static func sample(version: Int16, nulls: Bool = false) -> Self {
        var value = Self()
        value.throttleTimeMs = 1007
        value.errorCode = 108
        value.errorMessage = nulls ? nil : "errorMessage-9-é"
        value.responses = [Topic.sample(version: version, nulls: nulls), Topic.sample(version: version, nulls: nulls)]
        return value
    }
}

extension AlterPartitionReassignmentsResponse.Topic {
    /// A value with every field of `version` set to something other than its default; with
    /// `nulls`, fields nullable in that version are nil instead.
    static func sample(version: Int16, nulls: Bool = false) -> Self {
        var value = Self()
        value.name = "name-11-é"
        value.partitions = [Partition.sample(version: version, nulls: nulls), Partition.sample(version: version, nulls: nulls)]
        return value
    }
}

extension AlterPartitionReassignmentsResponse.Topic.Partition {
    /// A value with every field of `version` set to something other than its default; with
    /// `nulls`, fields nullable in that version are nil instead.
    static func sample(version: Int16, nulls: Bool = false) -> Self {
        var value = Self()
        value.partitionIndex = 1013
        value.errorCode = 114
        value.errorMessage = nulls ? nil : "errorMessage-15-é"
        return value
    }
}

extension AlterUserScramCredentialsRequest {
    /// A value with every field of `version` set to something other than its default; with
    /// `nulls`, fields nullable in that version are nil instead.
    static func sample(version: Int16, nulls: Bool = false) -> Self {
        var value = Self()
        value.deletions = [Deletion.sample(version: version, nulls: nulls), Deletion.sample(version: version, nulls: nulls)]
        value.upsertions = [Upsertion.sample(version: version, nulls: nulls), Upsertion.sample(version: version, nulls: nulls)]
        return value
    }
}

extension AlterUserScramCredentialsRequest.Deletion {
    /// A value with every field of `version` set to something other than its default; with
    /// `nulls`, fields nullable in that version are nil instead.
    static func sample(version: Int16, nulls: Bool = false) -> Self {
        var value = Self()
        value.name = "name-3-é"
        value.mechanism = 14
        return value
    }
}

extension AlterUserScramCredentialsRequest.Upsertion {
    /// A value with every field of `version` set to something other than its default; with
    /// `nulls`, fields nullable in that version are nil instead.
    static func sample(version: Int16, nulls: Bool = false) -> Self {
        var value = Self()
        value.name = "name-5-é"
        value.mechanism = 16
        value.iterations = 1007
        value.salt = [8, 0, 255]
        value.saltedPassword = [9, 0, 255]
        return value
    }
}

extension AlterUserScramCredentialsResponse {
    /// A value with every field of `version` set to something other than its default; with
    /// `nulls`, fields nullable in that version are nil instead.
    static func sample(version: Int16, nulls: Bool = false) -> Self {
        var value = Self()
        value.throttleTimeMs = 1010
        value.results = [UserResult.sample(version: version, nulls: nulls), UserResult.sample(version: version, nulls: nulls)]
        return value
    }
}

extension AlterUserScramCredentialsResponse.UserResult {
    /// A value with every field of `version` set to something other than its default; with
    /// `nulls`, fields nullable in that version are nil instead.
    static func sample(version: Int16, nulls: Bool = false) -> Self {
        var value = Self()
        value.user = "user-12-é"
        value.errorCode = 113
        value.errorMessage = nulls ? nil : "errorMessage-14-é"
        return value
    }
}

extension ApiVersionsRequest {
    /// A value with every field of `version` set to something other than its default; with
    /// `nulls`, fields nullable in that version are nil instead.
    static func sample(version: Int16, nulls: Bool = false) -> Self {
        var value = Self()
        if version >= 3 { value.clientSoftwareName = "clientSoftwareName-1-é" }
        if version >= 3 { value.clientSoftwareVersion = "clientSoftwareVersion-2-é" }
        return value
    }
}

extension ApiVersionsResponse {
    /// A value with every field of `version` set to something other than its default; with
    /// `nulls`, fields nullable in that version are nil instead.
    static func sample(version: Int16, nulls: Bool = false) -> Self {
        var value = Self()
        value.errorCode = 103
        value.apiKeys = [ApiKeyRange.sample(version: version, nulls: nulls), ApiKeyRange.sample(version: version, nulls: nulls)]
        if version >= 1 { value.throttleTimeMs = 1005 }
        if version >= 3 { value.supportedFeatures = [SupportedFeature.sample(version: version, nulls: nulls), SupportedFeature.sample(version: version, nulls: nulls)] }
        if version >= 3 { value.finalizedFeaturesEpoch = 1000000000007 }
        if version >= 3 { value.finalizedFeatures = [FinalizedFeature.sample(version: version, nulls: nulls), FinalizedFeature.sample(version: version, nulls: nulls)] }
        if version >= 3 { value.zkMigrationReady = true }
        return value
    }
}

extension ApiVersionsResponse.ApiKeyRange {
    /// A value with every field of `version` set to something other than its default; with
    /// `nulls`, fields nullable in that version are nil instead.
    static func sample(version: Int16, nulls: Bool = false) -> Self {
        var value = Self()
        value.apiKey = 110
        value.minVersion = 111
        value.maxVersion = 112
        return value
    }
}

extension ApiVersionsResponse.SupportedFeature {
    /// A value with every field of `version` set to something other than its default; with
    /// `nulls`, fields nullable in that version are nil instead.
    static func sample(version: Int16, nulls: Bool = false) -> Self {
        var value = Self()
        value.name = "name-13-é"
        value.minVersion = 114
        value.maxVersion = 115
        return value
    }
}

extension ApiVersionsResponse.FinalizedFeature {
    /// A value with every field of `version` set to something other than its default; with
    /// `nulls`, fields nullable in that version are nil instead.
    static func sample(version: Int16, nulls: Bool = false) -> Self {
        var value = Self()
        value.name = "name-16-é"
        value.maxVersionLevel = 117
        value.minVersionLevel = 118
        return value
    }
}

extension CreateAclsRequest {
    /// A value with every field of `version` set to something other than its default; with
    /// `nulls`, fields nullable in that version are nil instead.
    static func sample(version: Int16, nulls: Bool = false) -> Self {
        var value = Self()
        value.creations = [Creation.sample(version: version, nulls: nulls), Creation.sample(version: version, nulls: nulls)]
        return value
    }
}

extension CreateAclsRequest.Creation {
    /// A value with every field of `version` set to something other than its default; with
    /// `nulls`, fields nullable in that version are nil instead.
    static func sample(version: Int16, nulls: Bool = false) -> Self {
        var value = Self()
        value.resourceType = 12
        value.resourceName = "resourceName-3-é"
        if version >= 1 { value.resourcePatternType = 14 }
        value.principal = "principal-5-é"
        value.host = "host-6-é"
        value.operation = 17
        value.permissionType = 18
        return value
    }
}

extension CreateAclsResponse {
    /// A value with every field of `version` set to something other than its default; with
    /// `nulls`, fields nullable in that version are nil instead.
    static func sample(version: Int16, nulls: Bool = false) -> Self {
        var value = Self()
        value.throttleTimeMs = 1009
        value.results = [CreationResult.sample(version: version, nulls: nulls), CreationResult.sample(version: version, nulls: nulls)]
        return value
    }
}

extension CreateAclsResponse.CreationResult {
    /// A value with every field of `version` set to something other than its default; with
    /// `nulls`, fields nullable in that version are nil instead.
    static func sample(version: Int16, nulls: Bool = false) -> Self {
        var value = Self()
        value.errorCode = 111
        value.errorMessage = nulls ? nil : "errorMessage-12-é"
        return value
    }
}

extension CreatePartitionsRequest {
    /// A value with every field of `version` set to something other than its default; with
    /// `nulls`, fields nullable in that version are nil instead.
    static func sample(version: Int16, nulls: Bool = false) -> Self {
        var value = Self()
        value.topics = [Topic.sample(version: version, nulls: nulls), Topic.sample(version: version, nulls: nulls)]
        value.timeoutMs = 1002
        value.validateOnly = true
        return value
    }
}

extension CreatePartitionsRequest.Topic {
    /// A value with every field of `version` set to something other than its default; with
    /// `nulls`, fields nullable in that version are nil instead.
    static func sample(version: Int16, nulls: Bool = false) -> Self {
        var value = Self()
        value.name = "name-4-é"
        value.count = 1005
        value.assignments = nulls ? nil : [Assignment.sample(version: version, nulls: nulls), Assignment.sample(version: version, nulls: nulls)]
        return value
    }
}

extension CreatePartitionsRequest.Topic.Assignment {
    /// A value with every field of `version` set to something other than its default; with
    /// `nulls`, fields nullable in that version are nil instead.
    static func sample(version: Int16, nulls: Bool = false) -> Self {
        var value = Self()
        value.brokerIds = [1007, 1007]
        return value
    }
}

extension CreatePartitionsResponse {
    /// A value with every field of `version` set to something other than its default; with
    /// `nulls`, fields nullable in that version are nil instead.
    static func sample(version: Int16, nulls: Bool = false) -> Self {
        var value = Self()
        value.throttleTimeMs = 1008
        value.results = [Topic.sample(version: version, nulls: nulls), Topic.sample(version: version, nulls: nulls)]
        return value
    }
}

extension CreatePartitionsResponse.Topic {
    /// A value with every field of `version` set to something other than its default; with
    /// `nulls`, fields nullable in that version are nil instead.
    static func sample(version: Int16, nulls: Bool = false) -> Self {
        var value = Self()
        value.name = "name-10-é"
        value.errorCode = 111
        value.errorMessage = nulls ? nil : "errorMessage-12-é"
        return value
    }
}

extension CreateTopicsRequest {
    /// A value with every field of `version` set to something other than its default; with
    /// `nulls`, fields nullable in that version are nil instead.
    static func sample(version: Int16, nulls: Bool = false) -> Self {
        var value = Self()
        value.topics = [Topic.sample(version: version, nulls: nulls), Topic.sample(version: version, nulls: nulls)]
        value.timeoutMs = 1002
        if version >= 1 { value.validateOnly = true }
        return value
    }
}

extension CreateTopicsRequest.Topic {
    /// A value with every field of `version` set to something other than its default; with
    /// `nulls`, fields nullable in that version are nil instead.
    static func sample(version: Int16, nulls: Bool = false) -> Self {
        var value = Self()
        value.name = "name-4-é"
        value.numPartitions = 1005
        value.replicationFactor = 106
        value.assignments = [Assignment.sample(version: version, nulls: nulls), Assignment.sample(version: version, nulls: nulls)]
        value.configs = [Config.sample(version: version, nulls: nulls), Config.sample(version: version, nulls: nulls)]
        return value
    }
}

extension CreateTopicsRequest.Topic.Assignment {
    /// A value with every field of `version` set to something other than its default; with
    /// `nulls`, fields nullable in that version are nil instead.
    static func sample(version: Int16, nulls: Bool = false) -> Self {
        var value = Self()
        value.partitionIndex = 1009
        value.brokerIds = [1010, 1010]
        return value
    }
}

extension CreateTopicsRequest.Topic.Config {
    /// A value with every field of `version` set to something other than its default; with
    /// `nulls`, fields nullable in that version are nil instead.
    static func sample(version: Int16, nulls: Bool = false) -> Self {
        var value = Self()
        value.name = "name-11-é"
        value.value = nulls ? nil : "value-12-é"
        return value
    }
}

extension CreateTopicsResponse {
    /// A value with every field of `version` set to something other than its default; with
    /// `nulls`, fields nullable in that version are nil instead.
    static func sample(version: Int16, nulls: Bool = false) -> Self {
        var value = Self()
        if version >= 2 { value.throttleTimeMs = 1013 }
        value.topics = [Topic.sample(version: version, nulls: nulls), Topic.sample(version: version, nulls: nulls)]
        return value
    }
}

extension CreateTopicsResponse.Topic {
    /// A value with every field of `version` set to something other than its default; with
    /// `nulls`, fields nullable in that version are nil instead.
    static func sample(version: Int16, nulls: Bool = false) -> Self {
        var value = Self()
        value.name = "name-15-é"
        if version >= 7 { value.topicId = WireUUID(high: 16, low: 0x0123_4567_89ab_cdef) }
        value.errorCode = 117
        if version >= 1 { value.errorMessage = nulls ? nil : "errorMessage-18-é" }
        if version >= 5 { value.topicConfigErrorCode = 119 }
        if version >= 5 { value.numPartitions = 1020 }
        if version >= 5 { value.replicationFactor = 121 }
        if version >= 5 { value.configs = nulls ? nil : [Config.sample(version: version, nulls: nulls), Config.sample(version: version, nulls: nulls)] }
        return value
    }
}

extension CreateTopicsResponse.Topic.Config {
    /// A value with every field of `version` set to something other than its default; with
    /// `nulls`, fields nullable in that version are nil instead.
    static func sample(version: Int16, nulls: Bool = false) -> Self {
        var value = Self()
        value.name = "name-23-é"
        value.value = nulls ? nil : "value-24-é"
        value.readOnly = true
        value.configSource = 36
        value.isSensitive = true
        return value
    }
}

extension DeleteAclsRequest {
    /// A value with every field of `version` set to something other than its default; with
    /// `nulls`, fields nullable in that version are nil instead.
    static func sample(version: Int16, nulls: Bool = false) -> Self {
        var value = Self()
        value.filters = [Filter.sample(version: version, nulls: nulls), Filter.sample(version: version, nulls: nulls)]
        return value
    }
}

extension DeleteAclsRequest.Filter {
    /// A value with every field of `version` set to something other than its default; with
    /// `nulls`, fields nullable in that version are nil instead.
    static func sample(version: Int16, nulls: Bool = false) -> Self {
        var value = Self()
        value.resourceTypeFilter = 12
        value.resourceNameFilter = nulls ? nil : "resourceNameFilter-3-é"
        if version >= 1 { value.patternTypeFilter = 14 }
        value.principalFilter = nulls ? nil : "principalFilter-5-é"
        value.hostFilter = nulls ? nil : "hostFilter-6-é"
        value.operation = 17
        value.permissionType = 18
        return value
    }
}

extension DeleteAclsResponse {
    /// A value with every field of `version` set to something other than its default; with
    /// `nulls`, fields nullable in that version are nil instead.
    static func sample(version: Int16, nulls: Bool = false) -> Self {
        var value = Self()
        value.throttleTimeMs = 1009
        value.filterResults = [FilterResult.sample(version: version, nulls: nulls), FilterResult.sample(version: version, nulls: nulls)]
        return value
    }
}

extension DeleteAclsResponse.FilterResult {
    /// A value with every field of `version` set to something other than its default; with
    /// `nulls`, fields nullable in that version are nil instead.
    static func sample(version: Int16, nulls: Bool = false) -> Self {
        var value = Self()
        value.errorCode = 111
        value.errorMessage = nulls ? nil : "errorMessage-12-é"
        value.matchingAcls = [MatchingAcl.sample(version: version, nulls: nulls), MatchingAcl.sample(version: version, nulls: nulls)]
        return value
    }
}

extension DeleteAclsResponse.FilterResult.MatchingAcl {
    /// A value with every field of `version` set to something other than its default; with
    /// `nulls`, fields nullable in that version are nil instead.
    static func sample(version: Int16, nulls: Bool = false) -> Self {
        var value = Self()
        value.errorCode = 114
        value.errorMessage = nulls ? nil : "errorMessage-15-é"
        value.resourceType = 26
        value.resourceName = "resourceName-17-é"
        if version >= 1 { value.patternType = 28 }
        value.principal = "principal-19-é"
        value.host = "host-20-é"
        value.operation = 31
        value.permissionType = 32
        return value
    }
}

extension DeleteGroupsRequest {
    /// A value with every field of `version` set to something other than its default; with
    /// `nulls`, fields nullable in that version are nil instead.
    static func sample(version: Int16, nulls: Bool = false) -> Self {
        var value = Self()
        value.groupsNames = ["a-1-é", "b-1-é"]
        return value
    }
}

extension DeleteGroupsResponse {
    /// A value with every field of `version` set to something other than its default; with
    /// `nulls`, fields nullable in that version are nil instead.
    static func sample(version: Int16, nulls: Bool = false) -> Self {
        var value = Self()
        value.throttleTimeMs = 1002
        value.results = [Group.sample(version: version, nulls: nulls), Group.sample(version: version, nulls: nulls)]
        return value
    }
}

extension DeleteGroupsResponse.Group {
    /// A value with every field of `version` set to something other than its default; with
    /// `nulls`, fields nullable in that version are nil instead.
    static func sample(version: Int16, nulls: Bool = false) -> Self {
        var value = Self()
        value.groupId = "groupId-4-é"
        value.errorCode = 105
        return value
    }
}

extension DeleteRecordsRequest {
    /// A value with every field of `version` set to something other than its default; with
    /// `nulls`, fields nullable in that version are nil instead.
    static func sample(version: Int16, nulls: Bool = false) -> Self {
        var value = Self()
        value.topics = [Topic.sample(version: version, nulls: nulls), Topic.sample(version: version, nulls: nulls)]
        value.timeoutMs = 1002
        return value
    }
}

extension DeleteRecordsRequest.Topic {
    /// A value with every field of `version` set to something other than its default; with
    /// `nulls`, fields nullable in that version are nil instead.
    static func sample(version: Int16, nulls: Bool = false) -> Self {
        var value = Self()
        value.name = "name-3-é"
        value.partitions = [Partition.sample(version: version, nulls: nulls), Partition.sample(version: version, nulls: nulls)]
        return value
    }
}

extension DeleteRecordsRequest.Topic.Partition {
    /// A value with every field of `version` set to something other than its default; with
    /// `nulls`, fields nullable in that version are nil instead.
    static func sample(version: Int16, nulls: Bool = false) -> Self {
        var value = Self()
        value.partitionIndex = 1005
        value.offset = 1000000000006
        return value
    }
}

extension DeleteRecordsResponse {
    /// A value with every field of `version` set to something other than its default; with
    /// `nulls`, fields nullable in that version are nil instead.
    static func sample(version: Int16, nulls: Bool = false) -> Self {
        var value = Self()
        value.throttleTimeMs = 1007
        value.topics = [Topic.sample(version: version, nulls: nulls), Topic.sample(version: version, nulls: nulls)]
        return value
    }
}

extension DeleteRecordsResponse.Topic {
    /// A value with every field of `version` set to something other than its default; with
    /// `nulls`, fields nullable in that version are nil instead.
    static func sample(version: Int16, nulls: Bool = false) -> Self {
        var value = Self()
        value.name = "name-9-é"
        value.partitions = [Partition.sample(version: version, nulls: nulls), Partition.sample(version: version, nulls: nulls)]
        return value
    }
}

extension DeleteRecordsResponse.Topic.Partition {
    /// A value with every field of `version` set to something other than its default; with
    /// `nulls`, fields nullable in that version are nil instead.
    static func sample(version: Int16, nulls: Bool = false) -> Self {
        var value = Self()
        value.partitionIndex = 1011
        value.lowWatermark = 1000000000012
        value.errorCode = 113
        return value
    }
}

extension DeleteTopicsRequest {
    /// A value with every field of `version` set to something other than its default; with
    /// `nulls`, fields nullable in that version are nil instead.
    static func sample(version: Int16, nulls: Bool = false) -> Self {
        var value = Self()
        if version >= 6 { value.topics = [Topic.sample(version: version, nulls: nulls), Topic.sample(version: version, nulls: nulls)] }
        if version <= 5 { value.topicNames = ["a-2-é", "b-2-é"] }
        value.timeoutMs = 1003
        return value
    }
}

extension DeleteTopicsRequest.Topic {
    /// A value with every field of `version` set to something other than its default; with
    /// `nulls`, fields nullable in that version are nil instead.
    static func sample(version: Int16, nulls: Bool = false) -> Self {
        var value = Self()
        value.name = nulls ? nil : "name-4-é"
        value.topicId = WireUUID(high: 5, low: 0x0123_4567_89ab_cdef)
        return value
    }
}

extension DeleteTopicsResponse {
    /// A value with every field of `version` set to something other than its default; with
    /// `nulls`, fields nullable in that version are nil instead.
    static func sample(version: Int16, nulls: Bool = false) -> Self {
        var value = Self()
        if version >= 1 { value.throttleTimeMs = 1006 }
        value.responses = [Topic.sample(version: version, nulls: nulls), Topic.sample(version: version, nulls: nulls)]
        return value
    }
}

extension DeleteTopicsResponse.Topic {
    /// A value with every field of `version` set to something other than its default; with
    /// `nulls`, fields nullable in that version are nil instead.
    static func sample(version: Int16, nulls: Bool = false) -> Self {
        var value = Self()
        value.name = nulls && version >= 6 ? nil : "name-8-é"
        if version >= 6 { value.topicId = WireUUID(high: 9, low: 0x0123_4567_89ab_cdef) }
        value.errorCode = 110
        if version >= 5 { value.errorMessage = nulls ? nil : "errorMessage-11-é" }
        return value
    }
}

extension DescribeAclsRequest {
    /// A value with every field of `version` set to something other than its default; with
    /// `nulls`, fields nullable in that version are nil instead.
    static func sample(version: Int16, nulls: Bool = false) -> Self {
        var value = Self()
        value.resourceTypeFilter = 11
        value.resourceNameFilter = nulls ? nil : "resourceNameFilter-2-é"
        if version >= 1 { value.patternTypeFilter = 13 }
        value.principalFilter = nulls ? nil : "principalFilter-4-é"
        value.hostFilter = nulls ? nil : "hostFilter-5-é"
        value.operation = 16
        value.permissionType = 17
        return value
    }
}

extension DescribeAclsResponse {
    /// A value with every field of `version` set to something other than its default; with
    /// `nulls`, fields nullable in that version are nil instead.
    static func sample(version: Int16, nulls: Bool = false) -> Self {
        var value = Self()
        value.throttleTimeMs = 1008
        value.errorCode = 109
        value.errorMessage = nulls ? nil : "errorMessage-10-é"
        value.resources = [Resource.sample(version: version, nulls: nulls), Resource.sample(version: version, nulls: nulls)]
        return value
    }
}

extension DescribeAclsResponse.Resource {
    /// A value with every field of `version` set to something other than its default; with
    /// `nulls`, fields nullable in that version are nil instead.
    static func sample(version: Int16, nulls: Bool = false) -> Self {
        var value = Self()
        value.resourceType = 22
        value.resourceName = "resourceName-13-é"
        if version >= 1 { value.patternType = 24 }
        value.acls = [Acl.sample(version: version, nulls: nulls), Acl.sample(version: version, nulls: nulls)]
        return value
    }
}

extension DescribeAclsResponse.Resource.Acl {
    /// A value with every field of `version` set to something other than its default; with
    /// `nulls`, fields nullable in that version are nil instead.
    static func sample(version: Int16, nulls: Bool = false) -> Self {
        var value = Self()
        value.principal = "principal-16-é"
        value.host = "host-17-é"
        value.operation = 28
        value.permissionType = 29
        return value
    }
}

extension DescribeClientQuotasRequest {
    /// A value with every field of `version` set to something other than its default; with
    /// `nulls`, fields nullable in that version are nil instead.
    static func sample(version: Int16, nulls: Bool = false) -> Self {
        var value = Self()
        value.components = [Component.sample(version: version, nulls: nulls), Component.sample(version: version, nulls: nulls)]
        value.strict = true
        return value
    }
}

extension DescribeClientQuotasRequest.Component {
    /// A value with every field of `version` set to something other than its default; with
    /// `nulls`, fields nullable in that version are nil instead.
    static func sample(version: Int16, nulls: Bool = false) -> Self {
        var value = Self()
        value.entityType = "entityType-3-é"
        value.matchType = 14
        value.match = nulls ? nil : "match-5-é"
        return value
    }
}

extension DescribeClientQuotasResponse {
    /// A value with every field of `version` set to something other than its default; with
    /// `nulls`, fields nullable in that version are nil instead.
    static func sample(version: Int16, nulls: Bool = false) -> Self {
        var value = Self()
        value.throttleTimeMs = 1006
        value.errorCode = 107
        value.errorMessage = nulls ? nil : "errorMessage-8-é"
        value.entries = nulls ? nil : [Entry.sample(version: version, nulls: nulls), Entry.sample(version: version, nulls: nulls)]
        return value
    }
}

extension DescribeClientQuotasResponse.Entry {
    /// A value with every field of `version` set to something other than its default; with
    /// `nulls`, fields nullable in that version are nil instead.
    static func sample(version: Int16, nulls: Bool = false) -> Self {
        var value = Self()
        value.entity = [Entity.sample(version: version, nulls: nulls), Entity.sample(version: version, nulls: nulls)]
        value.values = [Value.sample(version: version, nulls: nulls), Value.sample(version: version, nulls: nulls)]
        return value
    }
}

extension DescribeClientQuotasResponse.Entry.Entity {
    /// A value with every field of `version` set to something other than its default; with
    /// `nulls`, fields nullable in that version are nil instead.
    static func sample(version: Int16, nulls: Bool = false) -> Self {
        var value = Self()
        value.entityType = "entityType-12-é"
        value.entityName = nulls ? nil : "entityName-13-é"
        return value
    }
}

extension DescribeClientQuotasResponse.Entry.Value {
    /// A value with every field of `version` set to something other than its default; with
    /// `nulls`, fields nullable in that version are nil instead.
    static func sample(version: Int16, nulls: Bool = false) -> Self {
        var value = Self()
        value.key = "key-14-é"
        value.value = 15.5
        return value
    }
}

extension DescribeConfigsRequest {
    /// A value with every field of `version` set to something other than its default; with
    /// `nulls`, fields nullable in that version are nil instead.
    static func sample(version: Int16, nulls: Bool = false) -> Self {
        var value = Self()
        value.resources = [Resource.sample(version: version, nulls: nulls), Resource.sample(version: version, nulls: nulls)]
        if version >= 1 { value.includeSynonyms = true }
        if version >= 3 { value.includeDocumentation = true }
        return value
    }
}

extension DescribeConfigsRequest.Resource {
    /// A value with every field of `version` set to something other than its default; with
    /// `nulls`, fields nullable in that version are nil instead.
    static func sample(version: Int16, nulls: Bool = false) -> Self {
        var value = Self()
        value.resourceType = 14
        value.resourceName = "resourceName-5-é"
        value.configurationKeys = nulls ? nil : ["a-6-é", "b-6-é"]
        return value
    }
}

extension DescribeConfigsResponse {
    /// A value with every field of `version` set to something other than its default; with
    /// `nulls`, fields nullable in that version are nil instead.
    static func sample(version: Int16, nulls: Bool = false) -> Self {
        var value = Self()
        value.throttleTimeMs = 1007
        value.results = [Resource.sample(version: version, nulls: nulls), Resource.sample(version: version, nulls: nulls)]
        return value
    }
}

extension DescribeConfigsResponse.Resource {
    /// A value with every field of `version` set to something other than its default; with
    /// `nulls`, fields nullable in that version are nil instead.
    static func sample(version: Int16, nulls: Bool = false) -> Self {
        var value = Self()
        value.errorCode = 109
        value.errorMessage = nulls ? nil : "errorMessage-10-é"
        value.resourceType = 21
        value.resourceName = "resourceName-12-é"
        value.configs = [Config.sample(version: version, nulls: nulls), Config.sample(version: version, nulls: nulls)]
        return value
    }
}

extension DescribeConfigsResponse.Resource.Config {
    /// A value with every field of `version` set to something other than its default; with
    /// `nulls`, fields nullable in that version are nil instead.
    static func sample(version: Int16, nulls: Bool = false) -> Self {
        var value = Self()
        value.name = "name-14-é"
        value.value = nulls ? nil : "value-15-é"
        value.readOnly = true
        if version <= 0 { value.isDefault = true }
        if version >= 1 { value.configSource = 28 }
        value.isSensitive = true
        if version >= 1 { value.synonyms = [Synonym.sample(version: version, nulls: nulls), Synonym.sample(version: version, nulls: nulls)] }
        if version >= 3 { value.configType = 31 }
        if version >= 3 { value.documentation = nulls ? nil : "documentation-22-é" }
        return value
    }
}

extension DescribeConfigsResponse.Resource.Config.Synonym {
    /// A value with every field of `version` set to something other than its default; with
    /// `nulls`, fields nullable in that version are nil instead.
    static func sample(version: Int16, nulls: Bool = false) -> Self {
        var value = Self()
        value.name = "name-23-é"
        value.value = nulls ? nil : "value-24-é"
        value.source = 35
        return value
    }
}

extension DescribeGroupsRequest {
    /// A value with every field of `version` set to something other than its default; with
    /// `nulls`, fields nullable in that version are nil instead.
    static func sample(version: Int16, nulls: Bool = false) -> Self {
        var value = Self()
        value.groups = ["a-1-é", "b-1-é"]
        if version >= 3 { value.includeAuthorizedOperations = true }
        return value
    }
}

extension DescribeGroupsResponse {
    /// A value with every field of `version` set to something other than its default; with
    /// `nulls`, fields nullable in that version are nil instead.
    static func sample(version: Int16, nulls: Bool = false) -> Self {
        var value = Self()
        if version >= 1 { value.throttleTimeMs = 1003 }
        value.groups = [Group.sample(version: version, nulls: nulls), Group.sample(version: version, nulls: nulls)]
        return value
    }
}

extension DescribeGroupsResponse.Group {
    /// A value with every field of `version` set to something other than its default; with
    /// `nulls`, fields nullable in that version are nil instead.
    static func sample(version: Int16, nulls: Bool = false) -> Self {
        var value = Self()
        value.errorCode = 105
        value.groupId = "groupId-6-é"
        value.groupState = "groupState-7-é"
        value.protocolType = "protocolType-8-é"
        value.protocolData = "protocolData-9-é"
        value.members = [Member.sample(version: version, nulls: nulls), Member.sample(version: version, nulls: nulls)]
        if version >= 3 { value.authorizedOperations = 1011 }
        return value
    }
}

extension DescribeGroupsResponse.Group.Member {
    /// A value with every field of `version` set to something other than its default; with
    /// `nulls`, fields nullable in that version are nil instead.
    static func sample(version: Int16, nulls: Bool = false) -> Self {
        var value = Self()
        value.memberId = "memberId-12-é"
        if version >= 4 { value.groupInstanceId = nulls ? nil : "groupInstanceId-13-é" }
        value.clientId = "clientId-14-é"
        value.clientHost = "clientHost-15-é"
        value.memberMetadata = [16, 0, 255]
        value.memberAssignment = [17, 0, 255]
        return value
    }
}

extension DescribeQuorumRequest {
    /// A value with every field of `version` set to something other than its default; with
    /// `nulls`, fields nullable in that version are nil instead.
    static func sample(version: Int16, nulls: Bool = false) -> Self {
        var value = Self()
        value.topics = [Topic.sample(version: version, nulls: nulls), Topic.sample(version: version, nulls: nulls)]
        return value
    }
}

extension DescribeQuorumRequest.Topic {
    /// A value with every field of `version` set to something other than its default; with
    /// `nulls`, fields nullable in that version are nil instead.
    static func sample(version: Int16, nulls: Bool = false) -> Self {
        var value = Self()
        value.topicName = "topicName-2-é"
        value.partitions = [Partition.sample(version: version, nulls: nulls), Partition.sample(version: version, nulls: nulls)]
        return value
    }
}

extension DescribeQuorumRequest.Topic.Partition {
    /// A value with every field of `version` set to something other than its default; with
    /// `nulls`, fields nullable in that version are nil instead.
    static func sample(version: Int16, nulls: Bool = false) -> Self {
        var value = Self()
        value.partitionIndex = 1004
        return value
    }
}

extension DescribeQuorumResponse {
    /// A value with every field of `version` set to something other than its default; with
    /// `nulls`, fields nullable in that version are nil instead.
    static func sample(version: Int16, nulls: Bool = false) -> Self {
        var value = Self()
        value.errorCode = 105
        value.topics = [Topic.sample(version: version, nulls: nulls), Topic.sample(version: version, nulls: nulls)]
        return value
    }
}

extension DescribeQuorumResponse.Topic {
    /// A value with every field of `version` set to something other than its default; with
    /// `nulls`, fields nullable in that version are nil instead.
    static func sample(version: Int16, nulls: Bool = false) -> Self {
        var value = Self()
        value.topicName = "topicName-7-é"
        value.partitions = [Partition.sample(version: version, nulls: nulls), Partition.sample(version: version, nulls: nulls)]
        return value
    }
}

extension DescribeQuorumResponse.Topic.Partition {
    /// A value with every field of `version` set to something other than its default; with
    /// `nulls`, fields nullable in that version are nil instead.
    static func sample(version: Int16, nulls: Bool = false) -> Self {
        var value = Self()
        value.partitionIndex = 1009
        value.errorCode = 110
        value.leaderId = 1011
        value.leaderEpoch = 1012
        value.highWatermark = 1000000000013
        value.currentVoters = [Voter.sample(version: version, nulls: nulls), Voter.sample(version: version, nulls: nulls)]
        value.observers = [Observer.sample(version: version, nulls: nulls), Observer.sample(version: version, nulls: nulls)]
        if version >= 1 { value.highWatermarkUpdateTimeMs = 1000000000016 }
        return value
    }
}

extension DescribeQuorumResponse.Topic.Partition.Voter {
    /// A value with every field of `version` set to something other than its default; with
    /// `nulls`, fields nullable in that version are nil instead.
    static func sample(version: Int16, nulls: Bool = false) -> Self {
        var value = Self()
        value.replicaId = 1017
        value.logEndOffset = 1000000000018
        if version >= 1 { value.lastFetchTimestamp = 1000000000019 }
        if version >= 1 { value.lastCaughtUpTimestamp = 1000000000020 }
        return value
    }
}

extension DescribeQuorumResponse.Topic.Partition.Observer {
    /// A value with every field of `version` set to something other than its default; with
    /// `nulls`, fields nullable in that version are nil instead.
    static func sample(version: Int16, nulls: Bool = false) -> Self {
        var value = Self()
        value.replicaId = 1021
        value.logEndOffset = 1000000000022
        if version >= 1 { value.lastFetchTimestamp = 1000000000023 }
        if version >= 1 { value.lastCaughtUpTimestamp = 1000000000024 }
        return value
    }
}

extension DescribeUserScramCredentialsRequest {
    /// A value with every field of `version` set to something other than its default; with
    /// `nulls`, fields nullable in that version are nil instead.
    static func sample(version: Int16, nulls: Bool = false) -> Self {
        var value = Self()
        value.users = nulls ? nil : [UserName.sample(version: version, nulls: nulls), UserName.sample(version: version, nulls: nulls)]
        return value
    }
}

extension DescribeUserScramCredentialsRequest.UserName {
    /// A value with every field of `version` set to something other than its default; with
    /// `nulls`, fields nullable in that version are nil instead.
    static func sample(version: Int16, nulls: Bool = false) -> Self {
        var value = Self()
        value.name = "name-2-é"
        return value
    }
}

extension DescribeUserScramCredentialsResponse {
    /// A value with every field of `version` set to something other than its default; with
    /// `nulls`, fields nullable in that version are nil instead.
    static func sample(version: Int16, nulls: Bool = false) -> Self {
        var value = Self()
        value.throttleTimeMs = 1003
        value.errorCode = 104
        value.errorMessage = nulls ? nil : "errorMessage-5-é"
        value.results = [UserResult.sample(version: version, nulls: nulls), UserResult.sample(version: version, nulls: nulls)]
        return value
    }
}

extension DescribeUserScramCredentialsResponse.UserResult {
    /// A value with every field of `version` set to something other than its default; with
    /// `nulls`, fields nullable in that version are nil instead.
    static func sample(version: Int16, nulls: Bool = false) -> Self {
        var value = Self()
        value.user = "user-7-é"
        value.errorCode = 108
        value.errorMessage = nulls ? nil : "errorMessage-9-é"
        value.credentialInfos = [CredentialInfo.sample(version: version, nulls: nulls), CredentialInfo.sample(version: version, nulls: nulls)]
        return value
    }
}

extension DescribeUserScramCredentialsResponse.UserResult.CredentialInfo {
    /// A value with every field of `version` set to something other than its default; with
    /// `nulls`, fields nullable in that version are nil instead.
    static func sample(version: Int16, nulls: Bool = false) -> Self {
        var value = Self()
        value.mechanism = 21
        value.iterations = 1012
        return value
    }
}

extension FetchRequest {
    /// A value with every field of `version` set to something other than its default; with
    /// `nulls`, fields nullable in that version are nil instead.
    static func sample(version: Int16, nulls: Bool = false) -> Self {
        var value = Self()
        if version >= 12 { value.clusterId = nulls ? nil : "clusterId-1-é" }
        value.replicaId = 1002
        value.maxWaitMs = 1003
        value.minBytes = 1004
        if version >= 3 { value.maxBytes = 1005 }
        if version >= 4 { value.isolationLevel = 16 }
        if version >= 7 { value.sessionId = 1007 }
        if version >= 7 { value.sessionEpoch = 1008 }
        value.topics = [Topic.sample(version: version, nulls: nulls), Topic.sample(version: version, nulls: nulls)]
        if version >= 7 { value.forgottenTopicsData = [ForgottenTopic.sample(version: version, nulls: nulls), ForgottenTopic.sample(version: version, nulls: nulls)] }
        if version >= 11 { value.rackId = "rackId-11-é" }
        return value
    }
}

extension FetchRequest.Topic {
    /// A value with every field of `version` set to something other than its default; with
    /// `nulls`, fields nullable in that version are nil instead.
    static func sample(version: Int16, nulls: Bool = false) -> Self {
        var value = Self()
        value.topic = "topic-12-é"
        value.partitions = [Partition.sample(version: version, nulls: nulls), Partition.sample(version: version, nulls: nulls)]
        return value
    }
}

extension FetchRequest.Topic.Partition {
    /// A value with every field of `version` set to something other than its default; with
    /// `nulls`, fields nullable in that version are nil instead.
    static func sample(version: Int16, nulls: Bool = false) -> Self {
        var value = Self()
        value.partition = 1014
        if version >= 9 { value.currentLeaderEpoch = 1015 }
        value.fetchOffset = 1000000000016
        if version >= 12 { value.lastFetchedEpoch = 1017 }
        if version >= 5 { value.logStartOffset = 1000000000018 }
        value.partitionMaxBytes = 1019
        return value
    }
}

extension FetchRequest.ForgottenTopic {
    /// A value with every field of `version` set to something other than its default; with
    /// `nulls`, fields nullable in that version are nil instead.
    static func sample(version: Int16, nulls: Bool = false) -> Self {
        var value = Self()
        value.topic = "topic-20-é"
        value.partitions = [1021, 1021]
        return value
    }
}

extension FetchResponse {
    /// A value with every field of `version` set to something other than its default; with
    /// `nulls`, fields nullable in that version are nil instead.
    static func sample(version: Int16, nulls: Bool = false) -> Self {
        var value = Self()
        if version >= 1 { value.throttleTimeMs = 1022 }
        if version >= 7 { value.errorCode = 123 }
        if version >= 7 { value.sessionId = 1024 }
        value.responses = [Topic.sample(version: version, nulls: nulls), Topic.sample(version: version, nulls: nulls)]
        return value
    }
}

extension FetchResponse.Topic {
    /// A value with every field of `version` set to something other than its default; with
    /// `nulls`, fields nullable in that version are nil instead.
    static func sample(version: Int16, nulls: Bool = false) -> Self {
        var value = Self()
        value.topic = "topic-26-é"
        value.partitions = [Partition.sample(version: version, nulls: nulls), Partition.sample(version: version, nulls: nulls)]
        return value
    }
}

extension FetchResponse.Topic.Partition {
    /// A value with every field of `version` set to something other than its default; with
    /// `nulls`, fields nullable in that version are nil instead.
    static func sample(version: Int16, nulls: Bool = false) -> Self {
        var value = Self()
        value.partitionIndex = 1028
        value.errorCode = 129
        value.highWatermark = 1000000000030
        if version >= 4 { value.lastStableOffset = 1000000000031 }
        if version >= 5 { value.logStartOffset = 1000000000032 }
        if version >= 12 { value.divergingEpoch = EpochEndOffset.sample(version: version, nulls: nulls) }
        if version >= 12 { value.currentLeader = LeaderIdAndEpoch.sample(version: version, nulls: nulls) }
        if version >= 12 { value.snapshotId = SnapshotId.sample(version: version, nulls: nulls) }
        if version >= 4 { value.abortedTransactions = nulls ? nil : [AbortedTransaction.sample(version: version, nulls: nulls), AbortedTransaction.sample(version: version, nulls: nulls)] }
        if version >= 11 { value.preferredReadReplica = 1037 }
        value.records = nulls ? nil : .bytes([0, 1, 2, 38])
        return value
    }
}

extension FetchResponse.Topic.Partition.EpochEndOffset {
    /// A value with every field of `version` set to something other than its default; with
    /// `nulls`, fields nullable in that version are nil instead.
    static func sample(version: Int16, nulls: Bool = false) -> Self {
        var value = Self()
        value.epoch = 1039
        value.endOffset = 1000000000040
        return value
    }
}

extension FetchResponse.Topic.Partition.LeaderIdAndEpoch {
    /// A value with every field of `version` set to something other than its default; with
    /// `nulls`, fields nullable in that version are nil instead.
    static func sample(version: Int16, nulls: Bool = false) -> Self {
        var value = Self()
        value.leaderId = 1041
        value.leaderEpoch = 1042
        return value
    }
}

extension FetchResponse.Topic.Partition.SnapshotId {
    /// A value with every field of `version` set to something other than its default; with
    /// `nulls`, fields nullable in that version are nil instead.
    static func sample(version: Int16, nulls: Bool = false) -> Self {
        var value = Self()
        value.endOffset = 1000000000043
        value.epoch = 1044
        return value
    }
}

extension FetchResponse.Topic.Partition.AbortedTransaction {
    /// A value with every field of `version` set to something other than its default; with
    /// `nulls`, fields nullable in that version are nil instead.
    static func sample(version: Int16, nulls: Bool = false) -> Self {
        var value = Self()
        value.producerId = 1000000000045
        value.firstOffset = 1000000000046
        return value
    }
}

extension FindCoordinatorRequest {
    /// A value with every field of `version` set to something other than its default; with
    /// `nulls`, fields nullable in that version are nil instead.
    static func sample(version: Int16, nulls: Bool = false) -> Self {
        var value = Self()
        if version <= 3 { value.key = "key-1-é" }
        if version >= 1 { value.keyType = 12 }
        if version >= 4 { value.coordinatorKeys = ["a-3-é", "b-3-é"] }
        return value
    }
}

extension FindCoordinatorResponse {
    /// A value with every field of `version` set to something other than its default; with
    /// `nulls`, fields nullable in that version are nil instead.
    static func sample(version: Int16, nulls: Bool = false) -> Self {
        var value = Self()
        if version >= 1 { value.throttleTimeMs = 1004 }
        if version <= 3 { value.errorCode = 105 }
        if version >= 1 && version <= 3 { value.errorMessage = nulls ? nil : "errorMessage-6-é" }
        if version <= 3 { value.nodeId = 1007 }
        if version <= 3 { value.host = "host-8-é" }
        if version <= 3 { value.port = 1009 }
        if version >= 4 { value.coordinators = [Coordinator.sample(version: version, nulls: nulls), Coordinator.sample(version: version, nulls: nulls)] }
        return value
    }
}

extension FindCoordinatorResponse.Coordinator {
    /// A value with every field of `version` set to something other than its default; with
    /// `nulls`, fields nullable in that version are nil instead.
    static func sample(version: Int16, nulls: Bool = false) -> Self {
        var value = Self()
        value.key = "key-11-é"
        value.nodeId = 1012
        value.host = "host-13-é"
        value.port = 1014
        value.errorCode = 115
        value.errorMessage = nulls ? nil : "errorMessage-16-é"
        return value
    }
}

extension HeartbeatRequest {
    /// A value with every field of `version` set to something other than its default; with
    /// `nulls`, fields nullable in that version are nil instead.
    static func sample(version: Int16, nulls: Bool = false) -> Self {
        var value = Self()
        value.groupId = "groupId-1-é"
        value.generationId = 1002
        value.memberId = "memberId-3-é"
        if version >= 3 { value.groupInstanceId = nulls ? nil : "groupInstanceId-4-é" }
        return value
    }
}

extension HeartbeatResponse {
    /// A value with every field of `version` set to something other than its default; with
    /// `nulls`, fields nullable in that version are nil instead.
    static func sample(version: Int16, nulls: Bool = false) -> Self {
        var value = Self()
        if version >= 1 { value.throttleTimeMs = 1005 }
        value.errorCode = 106
        return value
    }
}

extension IncrementalAlterConfigsRequest {
    /// A value with every field of `version` set to something other than its default; with
    /// `nulls`, fields nullable in that version are nil instead.
    static func sample(version: Int16, nulls: Bool = false) -> Self {
        var value = Self()
        value.resources = [Resource.sample(version: version, nulls: nulls), Resource.sample(version: version, nulls: nulls)]
        value.validateOnly = true
        return value
    }
}

extension IncrementalAlterConfigsRequest.Resource {
    /// A value with every field of `version` set to something other than its default; with
    /// `nulls`, fields nullable in that version are nil instead.
    static func sample(version: Int16, nulls: Bool = false) -> Self {
        var value = Self()
        value.resourceType = 13
        value.resourceName = "resourceName-4-é"
        value.configs = [Config.sample(version: version, nulls: nulls), Config.sample(version: version, nulls: nulls)]
        return value
    }
}

extension IncrementalAlterConfigsRequest.Resource.Config {
    /// A value with every field of `version` set to something other than its default; with
    /// `nulls`, fields nullable in that version are nil instead.
    static func sample(version: Int16, nulls: Bool = false) -> Self {
        var value = Self()
        value.name = "name-6-é"
        value.configOperation = 17
        value.value = nulls ? nil : "value-8-é"
        return value
    }
}

extension IncrementalAlterConfigsResponse {
    /// A value with every field of `version` set to something other than its default; with
    /// `nulls`, fields nullable in that version are nil instead.
    static func sample(version: Int16, nulls: Bool = false) -> Self {
        var value = Self()
        value.throttleTimeMs = 1009
        value.responses = [Resource.sample(version: version, nulls: nulls), Resource.sample(version: version, nulls: nulls)]
        return value
    }
}

extension IncrementalAlterConfigsResponse.Resource {
    /// A value with every field of `version` set to something other than its default; with
    /// `nulls`, fields nullable in that version are nil instead.
    static func sample(version: Int16, nulls: Bool = false) -> Self {
        var value = Self()
        value.errorCode = 111
        value.errorMessage = nulls ? nil : "errorMessage-12-é"
        value.resourceType = 23
        value.resourceName = "resourceName-14-é"
        return value
    }
}

extension InitProducerIdRequest {
    /// A value with every field of `version` set to something other than its default; with
    /// `nulls`, fields nullable in that version are nil instead.
    static func sample(version: Int16, nulls: Bool = false) -> Self {
        var value = Self()
        value.transactionalId = nulls ? nil : "transactionalId-1-é"
        value.transactionTimeoutMs = 1002
        if version >= 3 { value.producerId = 1000000000003 }
        if version >= 3 { value.producerEpoch = 104 }
        return value
    }
}

extension InitProducerIdResponse {
    /// A value with every field of `version` set to something other than its default; with
    /// `nulls`, fields nullable in that version are nil instead.
    static func sample(version: Int16, nulls: Bool = false) -> Self {
        var value = Self()
        value.throttleTimeMs = 1005
        value.errorCode = 106
        value.producerId = 1000000000007
        value.producerEpoch = 108
        return value
    }
}

extension JoinGroupRequest {
    /// A value with every field of `version` set to something other than its default; with
    /// `nulls`, fields nullable in that version are nil instead.
    static func sample(version: Int16, nulls: Bool = false) -> Self {
        var value = Self()
        value.groupId = "groupId-1-é"
        value.sessionTimeoutMs = 1002
        if version >= 1 { value.rebalanceTimeoutMs = 1003 }
        value.memberId = "memberId-4-é"
        if version >= 5 { value.groupInstanceId = nulls ? nil : "groupInstanceId-5-é" }
        value.protocolType = "protocolType-6-é"
        value.protocols = [GroupProtocol.sample(version: version, nulls: nulls), GroupProtocol.sample(version: version, nulls: nulls)]
        if version >= 8 { value.reason = nulls ? nil : "reason-8-é" }
        return value
    }
}

extension JoinGroupRequest.GroupProtocol {
    /// A value with every field of `version` set to something other than its default; with
    /// `nulls`, fields nullable in that version are nil instead.
    static func sample(version: Int16, nulls: Bool = false) -> Self {
        var value = Self()
        value.name = "name-9-é"
        value.metadata = [10, 0, 255]
        return value
    }
}

extension JoinGroupResponse {
    /// A value with every field of `version` set to something other than its default; with
    /// `nulls`, fields nullable in that version are nil instead.
    static func sample(version: Int16, nulls: Bool = false) -> Self {
        var value = Self()
        if version >= 2 { value.throttleTimeMs = 1011 }
        value.errorCode = 112
        value.generationId = 1013
        if version >= 7 { value.protocolType = nulls ? nil : "protocolType-14-é" }
        value.protocolName = nulls && version >= 7 ? nil : "protocolName-15-é"
        value.leader = "leader-16-é"
        if version >= 9 { value.skipAssignment = true }
        value.memberId = "memberId-18-é"
        value.members = [Member.sample(version: version, nulls: nulls), Member.sample(version: version, nulls: nulls)]
        return value
    }
}

extension JoinGroupResponse.Member {
    /// A value with every field of `version` set to something other than its default; with
    /// `nulls`, fields nullable in that version are nil instead.
    static func sample(version: Int16, nulls: Bool = false) -> Self {
        var value = Self()
        value.memberId = "memberId-20-é"
        if version >= 5 { value.groupInstanceId = nulls ? nil : "groupInstanceId-21-é" }
        value.metadata = [22, 0, 255]
        return value
    }
}

extension LeaveGroupRequest {
    /// A value with every field of `version` set to something other than its default; with
    /// `nulls`, fields nullable in that version are nil instead.
    static func sample(version: Int16, nulls: Bool = false) -> Self {
        var value = Self()
        value.groupId = "groupId-1-é"
        if version <= 2 { value.memberId = "memberId-2-é" }
        if version >= 3 { value.members = [Member.sample(version: version, nulls: nulls), Member.sample(version: version, nulls: nulls)] }
        return value
    }
}

extension LeaveGroupRequest.Member {
    /// A value with every field of `version` set to something other than its default; with
    /// `nulls`, fields nullable in that version are nil instead.
    static func sample(version: Int16, nulls: Bool = false) -> Self {
        var value = Self()
        value.memberId = "memberId-4-é"
        value.groupInstanceId = nulls ? nil : "groupInstanceId-5-é"
        if version >= 5 { value.reason = nulls ? nil : "reason-6-é" }
        return value
    }
}

extension LeaveGroupResponse {
    /// A value with every field of `version` set to something other than its default; with
    /// `nulls`, fields nullable in that version are nil instead.
    static func sample(version: Int16, nulls: Bool = false) -> Self {
        var value = Self()
        if version >= 1 { value.throttleTimeMs = 1007 }
        value.errorCode = 108
        if version >= 3 { value.members = [Member.sample(version: version, nulls: nulls), Member.sample(version: version, nulls: nulls)] }
        return value
    }
}

extension LeaveGroupResponse.Member {
    /// A value with every field of `version` set to something other than its default; with
    /// `nulls`, fields nullable in that version are nil instead.
    static func sample(version: Int16, nulls: Bool = false) -> Self {
        var value = Self()
        value.memberId = "memberId-10-é"
        value.groupInstanceId = nulls ? nil : "groupInstanceId-11-é"
        value.errorCode = 112
        return value
    }
}

extension ListGroupsRequest {
    /// A value with every field of `version` set to something other than its default; with
    /// `nulls`, fields nullable in that version are nil instead.
    static func sample(version: Int16, nulls: Bool = false) -> Self {
        var value = Self()
        if version >= 4 { value.statesFilter = ["a-1-é", "b-1-é"] }
        return value
    }
}

extension ListGroupsResponse {
    /// A value with every field of `version` set to something other than its default; with
    /// `nulls`, fields nullable in that version are nil instead.
    static func sample(version: Int16, nulls: Bool = false) -> Self {
        var value = Self()
        if version >= 1 { value.throttleTimeMs = 1002 }
        value.errorCode = 103
        value.groups = [Group.sample(version: version, nulls: nulls), Group.sample(version: version, nulls: nulls)]
        return value
    }
}

extension ListGroupsResponse.Group {
    /// A value with every field of `version` set to something other than its default; with
    /// `nulls`, fields nullable in that version are nil instead.
    static func sample(version: Int16, nulls: Bool = false) -> Self {
        var value = Self()
        value.groupId = "groupId-5-é"
        value.protocolType = "protocolType-6-é"
        if version >= 4 { value.groupState = "groupState-7-é" }
        return value
    }
}

extension ListOffsetsRequest {
    /// A value with every field of `version` set to something other than its default; with
    /// `nulls`, fields nullable in that version are nil instead.
    static func sample(version: Int16, nulls: Bool = false) -> Self {
        var value = Self()
        value.replicaId = 1001
        if version >= 2 { value.isolationLevel = 12 }
        value.topics = [Topic.sample(version: version, nulls: nulls), Topic.sample(version: version, nulls: nulls)]
        return value
    }
}

extension ListOffsetsRequest.Topic {
    /// A value with every field of `version` set to something other than its default; with
    /// `nulls`, fields nullable in that version are nil instead.
    static func sample(version: Int16, nulls: Bool = false) -> Self {
        var value = Self()
        value.name = "name-4-é"
        value.partitions = [Partition.sample(version: version, nulls: nulls), Partition.sample(version: version, nulls: nulls)]
        return value
    }
}

extension ListOffsetsRequest.Topic.Partition {
    /// A value with every field of `version` set to something other than its default; with
    /// `nulls`, fields nullable in that version are nil instead.
    static func sample(version: Int16, nulls: Bool = false) -> Self {
        var value = Self()
        value.partitionIndex = 1006
        if version >= 4 { value.currentLeaderEpoch = 1007 }
        value.timestamp = 1000000000008
        if version <= 0 { value.maxNumOffsets = 1009 }
        return value
    }
}

extension ListOffsetsResponse {
    /// A value with every field of `version` set to something other than its default; with
    /// `nulls`, fields nullable in that version are nil instead.
    static func sample(version: Int16, nulls: Bool = false) -> Self {
        var value = Self()
        if version >= 2 { value.throttleTimeMs = 1010 }
        value.topics = [Topic.sample(version: version, nulls: nulls), Topic.sample(version: version, nulls: nulls)]
        return value
    }
}

extension ListOffsetsResponse.Topic {
    /// A value with every field of `version` set to something other than its default; with
    /// `nulls`, fields nullable in that version are nil instead.
    static func sample(version: Int16, nulls: Bool = false) -> Self {
        var value = Self()
        value.name = "name-12-é"
        value.partitions = [Partition.sample(version: version, nulls: nulls), Partition.sample(version: version, nulls: nulls)]
        return value
    }
}

extension ListOffsetsResponse.Topic.Partition {
    /// A value with every field of `version` set to something other than its default; with
    /// `nulls`, fields nullable in that version are nil instead.
    static func sample(version: Int16, nulls: Bool = false) -> Self {
        var value = Self()
        value.partitionIndex = 1014
        value.errorCode = 115
        if version <= 0 { value.oldStyleOffsets = [1000000000016, 1000000000016] }
        if version >= 1 { value.timestamp = 1000000000017 }
        if version >= 1 { value.offset = 1000000000018 }
        if version >= 4 { value.leaderEpoch = 1019 }
        return value
    }
}

extension ListPartitionReassignmentsRequest {
    /// A value with every field of `version` set to something other than its default; with
    /// `nulls`, fields nullable in that version are nil instead.
    static func sample(version: Int16, nulls: Bool = false) -> Self {
        var value = Self()
        value.timeoutMs = 1001
        value.topics = nulls ? nil : [Topic.sample(version: version, nulls: nulls), Topic.sample(version: version, nulls: nulls)]
        return value
    }
}

extension ListPartitionReassignmentsRequest.Topic {
    /// A value with every field of `version` set to something other than its default; with
    /// `nulls`, fields nullable in that version are nil instead.
    static func sample(version: Int16, nulls: Bool = false) -> Self {
        var value = Self()
        value.name = "name-3-é"
        value.partitionIndexes = [1004, 1004]
        return value
    }
}

extension ListPartitionReassignmentsResponse {
    /// A value with every field of `version` set to something other than its default; with
    /// `nulls`, fields nullable in that version are nil instead.
    static func sample(version: Int16, nulls: Bool = false) -> Self {
        var value = Self()
        value.throttleTimeMs = 1005
        value.errorCode = 106
        value.errorMessage = nulls ? nil : "errorMessage-7-é"
        value.topics = [Topic.sample(version: version, nulls: nulls), Topic.sample(version: version, nulls: nulls)]
        return value
    }
}

extension ListPartitionReassignmentsResponse.Topic {
    /// A value with every field of `version` set to something other than its default; with
    /// `nulls`, fields nullable in that version are nil instead.
    static func sample(version: Int16, nulls: Bool = false) -> Self {
        var value = Self()
        value.name = "name-9-é"
        value.partitions = [Partition.sample(version: version, nulls: nulls), Partition.sample(version: version, nulls: nulls)]
        return value
    }
}

extension ListPartitionReassignmentsResponse.Topic.Partition {
    /// A value with every field of `version` set to something other than its default; with
    /// `nulls`, fields nullable in that version are nil instead.
    static func sample(version: Int16, nulls: Bool = false) -> Self {
        var value = Self()
        value.partitionIndex = 1011
        value.replicas = [1012, 1012]
        value.addingReplicas = [1013, 1013]
        value.removingReplicas = [1014, 1014]
        return value
    }
}

extension MetadataRequest {
    /// A value with every field of `version` set to something other than its default; with
    /// `nulls`, fields nullable in that version are nil instead.
    static func sample(version: Int16, nulls: Bool = false) -> Self {
        var value = Self()
        value.topics = nulls && version >= 1 ? nil : [Topic.sample(version: version, nulls: nulls), Topic.sample(version: version, nulls: nulls)]
        if version >= 4 { value.allowAutoTopicCreation = false }
        if version >= 8 && version <= 10 { value.includeClusterAuthorizedOperations = true }
        if version >= 8 { value.includeTopicAuthorizedOperations = true }
        return value
    }
}

extension MetadataRequest.Topic {
    /// A value with every field of `version` set to something other than its default; with
    /// `nulls`, fields nullable in that version are nil instead.
    static func sample(version: Int16, nulls: Bool = false) -> Self {
        var value = Self()
        if version >= 10 { value.topicId = WireUUID(high: 5, low: 0x0123_4567_89ab_cdef) }
        value.name = nulls && version >= 10 ? nil : "name-6-é"
        return value
    }
}

extension MetadataResponse {
    /// A value with every field of `version` set to something other than its default; with
    /// `nulls`, fields nullable in that version are nil instead.
    static func sample(version: Int16, nulls: Bool = false) -> Self {
        var value = Self()
        if version >= 3 { value.throttleTimeMs = 1007 }
        value.brokers = [Broker.sample(version: version, nulls: nulls), Broker.sample(version: version, nulls: nulls)]
        if version >= 2 { value.clusterId = nulls ? nil : "clusterId-9-é" }
        if version >= 1 { value.controllerId = 1010 }
        value.topics = [Topic.sample(version: version, nulls: nulls), Topic.sample(version: version, nulls: nulls)]
        if version >= 8 && version <= 10 { value.clusterAuthorizedOperations = 1012 }
        return value
    }
}

extension MetadataResponse.Broker {
    /// A value with every field of `version` set to something other than its default; with
    /// `nulls`, fields nullable in that version are nil instead.
    static func sample(version: Int16, nulls: Bool = false) -> Self {
        var value = Self()
        value.nodeId = 1013
        value.host = "host-14-é"
        value.port = 1015
        if version >= 1 { value.rack = nulls ? nil : "rack-16-é" }
        return value
    }
}

extension MetadataResponse.Topic {
    /// A value with every field of `version` set to something other than its default; with
    /// `nulls`, fields nullable in that version are nil instead.
    static func sample(version: Int16, nulls: Bool = false) -> Self {
        var value = Self()
        value.errorCode = 117
        value.name = nulls && version >= 12 ? nil : "name-18-é"
        if version >= 10 { value.topicId = WireUUID(high: 19, low: 0x0123_4567_89ab_cdef) }
        if version >= 1 { value.isInternal = true }
        value.partitions = [Partition.sample(version: version, nulls: nulls), Partition.sample(version: version, nulls: nulls)]
        if version >= 8 { value.topicAuthorizedOperations = 1022 }
        return value
    }
}

extension MetadataResponse.Topic.Partition {
    /// A value with every field of `version` set to something other than its default; with
    /// `nulls`, fields nullable in that version are nil instead.
    static func sample(version: Int16, nulls: Bool = false) -> Self {
        var value = Self()
        value.errorCode = 123
        value.partitionIndex = 1024
        value.leaderId = 1025
        if version >= 7 { value.leaderEpoch = 1026 }
        value.replicaNodes = [1027, 1027]
        value.isrNodes = [1028, 1028]
        if version >= 5 { value.offlineReplicas = [1029, 1029] }
        return value
    }
}

extension OffsetCommitRequest {
    /// A value with every field of `version` set to something other than its default; with
    /// `nulls`, fields nullable in that version are nil instead.
    static func sample(version: Int16, nulls: Bool = false) -> Self {
        var value = Self()
        value.groupId = "groupId-1-é"
        if version >= 1 { value.generationIdOrMemberEpoch = 1002 }
        if version >= 1 { value.memberId = "memberId-3-é" }
        if version >= 7 { value.groupInstanceId = nulls ? nil : "groupInstanceId-4-é" }
        if version >= 2 && version <= 4 { value.retentionTimeMs = 1000000000005 }
        value.topics = [Topic.sample(version: version, nulls: nulls), Topic.sample(version: version, nulls: nulls)]
        return value
    }
}

extension OffsetCommitRequest.Topic {
    /// A value with every field of `version` set to something other than its default; with
    /// `nulls`, fields nullable in that version are nil instead.
    static func sample(version: Int16, nulls: Bool = false) -> Self {
        var value = Self()
        value.name = "name-7-é"
        value.partitions = [Partition.sample(version: version, nulls: nulls), Partition.sample(version: version, nulls: nulls)]
        return value
    }
}

extension OffsetCommitRequest.Topic.Partition {
    /// A value with every field of `version` set to something other than its default; with
    /// `nulls`, fields nullable in that version are nil instead.
    static func sample(version: Int16, nulls: Bool = false) -> Self {
        var value = Self()
        value.partitionIndex = 1009
        value.committedOffset = 1000000000010
        if version >= 6 { value.committedLeaderEpoch = 1011 }
        if version == 1 { value.commitTimestamp = 1000000000012 }
        value.committedMetadata = nulls ? nil : "committedMetadata-13-é"
        return value
    }
}

extension OffsetCommitResponse {
    /// A value with every field of `version` set to something other than its default; with
    /// `nulls`, fields nullable in that version are nil instead.
    static func sample(version: Int16, nulls: Bool = false) -> Self {
        var value = Self()
        if version >= 3 { value.throttleTimeMs = 1014 }
        value.topics = [Topic.sample(version: version, nulls: nulls), Topic.sample(version: version, nulls: nulls)]
        return value
    }
}

extension OffsetCommitResponse.Topic {
    /// A value with every field of `version` set to something other than its default; with
    /// `nulls`, fields nullable in that version are nil instead.
    static func sample(version: Int16, nulls: Bool = false) -> Self {
        var value = Self()
        value.name = "name-16-é"
        value.partitions = [Partition.sample(version: version, nulls: nulls), Partition.sample(version: version, nulls: nulls)]
        return value
    }
}

extension OffsetCommitResponse.Topic.Partition {
    /// A value with every field of `version` set to something other than its default; with
    /// `nulls`, fields nullable in that version are nil instead.
    static func sample(version: Int16, nulls: Bool = false) -> Self {
        var value = Self()
        value.partitionIndex = 1018
        value.errorCode = 119
        return value
    }
}

extension OffsetDeleteRequest {
    /// A value with every field of `version` set to something other than its default; with
    /// `nulls`, fields nullable in that version are nil instead.
    static func sample(version: Int16, nulls: Bool = false) -> Self {
        var value = Self()
        value.groupId = "groupId-1-é"
        value.topics = [Topic.sample(version: version, nulls: nulls), Topic.sample(version: version, nulls: nulls)]
        return value
    }
}

extension OffsetDeleteRequest.Topic {
    /// A value with every field of `version` set to something other than its default; with
    /// `nulls`, fields nullable in that version are nil instead.
    static func sample(version: Int16, nulls: Bool = false) -> Self {
        var value = Self()
        value.name = "name-3-é"
        value.partitions = [Partition.sample(version: version, nulls: nulls), Partition.sample(version: version, nulls: nulls)]
        return value
    }
}

extension OffsetDeleteRequest.Topic.Partition {
    /// A value with every field of `version` set to something other than its default; with
    /// `nulls`, fields nullable in that version are nil instead.
    static func sample(version: Int16, nulls: Bool = false) -> Self {
        var value = Self()
        value.partitionIndex = 1005
        return value
    }
}

extension OffsetDeleteResponse {
    /// A value with every field of `version` set to something other than its default; with
    /// `nulls`, fields nullable in that version are nil instead.
    static func sample(version: Int16, nulls: Bool = false) -> Self {
        var value = Self()
        value.errorCode = 106
        value.throttleTimeMs = 1007
        value.topics = [Topic.sample(version: version, nulls: nulls), Topic.sample(version: version, nulls: nulls)]
        return value
    }
}

extension OffsetDeleteResponse.Topic {
    /// A value with every field of `version` set to something other than its default; with
    /// `nulls`, fields nullable in that version are nil instead.
    static func sample(version: Int16, nulls: Bool = false) -> Self {
        var value = Self()
        value.name = "name-9-é"
        value.partitions = [Partition.sample(version: version, nulls: nulls), Partition.sample(version: version, nulls: nulls)]
        return value
    }
}

extension OffsetDeleteResponse.Topic.Partition {
    /// A value with every field of `version` set to something other than its default; with
    /// `nulls`, fields nullable in that version are nil instead.
    static func sample(version: Int16, nulls: Bool = false) -> Self {
        var value = Self()
        value.partitionIndex = 1011
        value.errorCode = 112
        return value
    }
}

extension OffsetFetchRequest {
    /// A value with every field of `version` set to something other than its default; with
    /// `nulls`, fields nullable in that version are nil instead.
    static func sample(version: Int16, nulls: Bool = false) -> Self {
        var value = Self()
        if version <= 7 { value.groupId = "groupId-1-é" }
        if version <= 7 { value.topics = nulls && version >= 2 ? nil : [Topic.sample(version: version, nulls: nulls), Topic.sample(version: version, nulls: nulls)] }
        if version >= 8 { value.groups = [Group.sample(version: version, nulls: nulls), Group.sample(version: version, nulls: nulls)] }
        if version >= 7 { value.requireStable = true }
        return value
    }
}

extension OffsetFetchRequest.Topic {
    /// A value with every field of `version` set to something other than its default; with
    /// `nulls`, fields nullable in that version are nil instead.
    static func sample(version: Int16, nulls: Bool = false) -> Self {
        var value = Self()
        value.name = "name-5-é"
        value.partitionIndexes = [1006, 1006]
        return value
    }
}

extension OffsetFetchRequest.Group {
    /// A value with every field of `version` set to something other than its default; with
    /// `nulls`, fields nullable in that version are nil instead.
    static func sample(version: Int16, nulls: Bool = false) -> Self {
        var value = Self()
        value.groupId = "groupId-7-é"
        value.topics = nulls ? nil : [Topic.sample(version: version, nulls: nulls), Topic.sample(version: version, nulls: nulls)]
        return value
    }
}

extension OffsetFetchRequest.Group.Topic {
    /// A value with every field of `version` set to something other than its default; with
    /// `nulls`, fields nullable in that version are nil instead.
    static func sample(version: Int16, nulls: Bool = false) -> Self {
        var value = Self()
        value.name = "name-9-é"
        value.partitionIndexes = [1010, 1010]
        return value
    }
}

extension OffsetFetchResponse {
    /// A value with every field of `version` set to something other than its default; with
    /// `nulls`, fields nullable in that version are nil instead.
    static func sample(version: Int16, nulls: Bool = false) -> Self {
        var value = Self()
        if version >= 3 { value.throttleTimeMs = 1011 }
        if version <= 7 { value.topics = [Topic.sample(version: version, nulls: nulls), Topic.sample(version: version, nulls: nulls)] }
        if version >= 2 && version <= 7 { value.errorCode = 113 }
        if version >= 8 { value.groups = [Group.sample(version: version, nulls: nulls), Group.sample(version: version, nulls: nulls)] }
        return value
    }
}

extension OffsetFetchResponse.Topic {
    /// A value with every field of `version` set to something other than its default; with
    /// `nulls`, fields nullable in that version are nil instead.
    static func sample(version: Int16, nulls: Bool = false) -> Self {
        var value = Self()
        value.name = "name-15-é"
        value.partitions = [Partition.sample(version: version, nulls: nulls), Partition.sample(version: version, nulls: nulls)]
        return value
    }
}

extension OffsetFetchResponse.Topic.Partition {
    /// A value with every field of `version` set to something other than its default; with
    /// `nulls`, fields nullable in that version are nil instead.
    static func sample(version: Int16, nulls: Bool = false) -> Self {
        var value = Self()
        value.partitionIndex = 1017
        value.committedOffset = 1000000000018
        if version >= 5 { value.committedLeaderEpoch = 1019 }
        value.metadata = nulls ? nil : "metadata-20-é"
        value.errorCode = 121
        return value
    }
}

extension OffsetFetchResponse.Group {
    /// A value with every field of `version` set to something other than its default; with
    /// `nulls`, fields nullable in that version are nil instead.
    static func sample(version: Int16, nulls: Bool = false) -> Self {
        var value = Self()
        value.groupId = "groupId-22-é"
        value.topics = [Topic.sample(version: version, nulls: nulls), Topic.sample(version: version, nulls: nulls)]
        value.errorCode = 124
        return value
    }
}

extension OffsetFetchResponse.Group.Topic {
    /// A value with every field of `version` set to something other than its default; with
    /// `nulls`, fields nullable in that version are nil instead.
    static func sample(version: Int16, nulls: Bool = false) -> Self {
        var value = Self()
        value.name = "name-25-é"
        value.partitions = [Partition.sample(version: version, nulls: nulls), Partition.sample(version: version, nulls: nulls)]
        return value
    }
}

extension OffsetFetchResponse.Group.Topic.Partition {
    /// A value with every field of `version` set to something other than its default; with
    /// `nulls`, fields nullable in that version are nil instead.
    static func sample(version: Int16, nulls: Bool = false) -> Self {
        var value = Self()
        value.partitionIndex = 1027
        value.committedOffset = 1000000000028
        value.committedLeaderEpoch = 1029
        value.metadata = nulls ? nil : "metadata-30-é"
        value.errorCode = 131
        return value
    }
}

extension OffsetForLeaderEpochRequest {
    /// A value with every field of `version` set to something other than its default; with
    /// `nulls`, fields nullable in that version are nil instead.
    static func sample(version: Int16, nulls: Bool = false) -> Self {
        var value = Self()
        if version >= 3 { value.replicaId = 1001 }
        value.topics = [Topic.sample(version: version, nulls: nulls), Topic.sample(version: version, nulls: nulls)]
        return value
    }
}

extension OffsetForLeaderEpochRequest.Topic {
    /// A value with every field of `version` set to something other than its default; with
    /// `nulls`, fields nullable in that version are nil instead.
    static func sample(version: Int16, nulls: Bool = false) -> Self {
        var value = Self()
        value.topic = "topic-3-é"
        value.partitions = [Partition.sample(version: version, nulls: nulls), Partition.sample(version: version, nulls: nulls)]
        return value
    }
}

extension OffsetForLeaderEpochRequest.Topic.Partition {
    /// A value with every field of `version` set to something other than its default; with
    /// `nulls`, fields nullable in that version are nil instead.
    static func sample(version: Int16, nulls: Bool = false) -> Self {
        var value = Self()
        value.partition = 1005
        if version >= 2 { value.currentLeaderEpoch = 1006 }
        value.leaderEpoch = 1007
        return value
    }
}

extension OffsetForLeaderEpochResponse {
    /// A value with every field of `version` set to something other than its default; with
    /// `nulls`, fields nullable in that version are nil instead.
    static func sample(version: Int16, nulls: Bool = false) -> Self {
        var value = Self()
        if version >= 2 { value.throttleTimeMs = 1008 }
        value.topics = [Topic.sample(version: version, nulls: nulls), Topic.sample(version: version, nulls: nulls)]
        return value
    }
}

extension OffsetForLeaderEpochResponse.Topic {
    /// A value with every field of `version` set to something other than its default; with
    /// `nulls`, fields nullable in that version are nil instead.
    static func sample(version: Int16, nulls: Bool = false) -> Self {
        var value = Self()
        value.topic = "topic-10-é"
        value.partitions = [EpochEndOffset.sample(version: version, nulls: nulls), EpochEndOffset.sample(version: version, nulls: nulls)]
        return value
    }
}

extension OffsetForLeaderEpochResponse.Topic.EpochEndOffset {
    /// A value with every field of `version` set to something other than its default; with
    /// `nulls`, fields nullable in that version are nil instead.
    static func sample(version: Int16, nulls: Bool = false) -> Self {
        var value = Self()
        value.errorCode = 112
        value.partition = 1013
        if version >= 1 { value.leaderEpoch = 1014 }
        value.endOffset = 1000000000015
        return value
    }
}

extension ProduceRequest {
    /// A value with every field of `version` set to something other than its default; with
    /// `nulls`, fields nullable in that version are nil instead.
    static func sample(version: Int16, nulls: Bool = false) -> Self {
        var value = Self()
        if version >= 3 { value.transactionalId = nulls ? nil : "transactionalId-1-é" }
        value.acks = 102
        value.timeoutMs = 1003
        value.topicData = [Topic.sample(version: version, nulls: nulls), Topic.sample(version: version, nulls: nulls)]
        return value
    }
}

extension ProduceRequest.Topic {
    /// A value with every field of `version` set to something other than its default; with
    /// `nulls`, fields nullable in that version are nil instead.
    static func sample(version: Int16, nulls: Bool = false) -> Self {
        var value = Self()
        value.name = "name-5-é"
        value.partitionData = [Partition.sample(version: version, nulls: nulls), Partition.sample(version: version, nulls: nulls)]
        return value
    }
}

extension ProduceRequest.Topic.Partition {
    /// A value with every field of `version` set to something other than its default; with
    /// `nulls`, fields nullable in that version are nil instead.
    static func sample(version: Int16, nulls: Bool = false) -> Self {
        var value = Self()
        value.index = 1007
        value.records = nulls ? nil : .bytes([0, 1, 2, 8])
        return value
    }
}

extension ProduceResponse {
    /// A value with every field of `version` set to something other than its default; with
    /// `nulls`, fields nullable in that version are nil instead.
    static func sample(version: Int16, nulls: Bool = false) -> Self {
        var value = Self()
        value.responses = [Topic.sample(version: version, nulls: nulls), Topic.sample(version: version, nulls: nulls)]
        if version >= 1 { value.throttleTimeMs = 1010 }
        return value
    }
}

extension ProduceResponse.Topic {
    /// A value with every field of `version` set to something other than its default; with
    /// `nulls`, fields nullable in that version are nil instead.
    static func sample(version: Int16, nulls: Bool = false) -> Self {
        var value = Self()
        value.name = "name-11-é"
        value.partitionResponses = [Partition.sample(version: version, nulls: nulls), Partition.sample(version: version, nulls: nulls)]
        return value
    }
}

extension ProduceResponse.Topic.Partition {
    /// A value with every field of `version` set to something other than its default; with
    /// `nulls`, fields nullable in that version are nil instead.
    static func sample(version: Int16, nulls: Bool = false) -> Self {
        var value = Self()
        value.index = 1013
        value.errorCode = 114
        value.baseOffset = 1000000000015
        if version >= 2 { value.logAppendTimeMs = 1000000000016 }
        if version >= 5 { value.logStartOffset = 1000000000017 }
        if version >= 8 { value.recordErrors = [RecordError.sample(version: version, nulls: nulls), RecordError.sample(version: version, nulls: nulls)] }
        if version >= 8 { value.errorMessage = nulls ? nil : "errorMessage-19-é" }
        return value
    }
}

extension ProduceResponse.Topic.Partition.RecordError {
    /// A value with every field of `version` set to something other than its default; with
    /// `nulls`, fields nullable in that version are nil instead.
    static func sample(version: Int16, nulls: Bool = false) -> Self {
        var value = Self()
        value.batchIndex = 1020
        value.batchIndexErrorMessage = nulls ? nil : "batchIndexErrorMessage-21-é"
        return value
    }
}

extension RemoveRaftVoterRequest {
    /// A value with every field of `version` set to something other than its default; with
    /// `nulls`, fields nullable in that version are nil instead.
    static func sample(version: Int16, nulls: Bool = false) -> Self {
        var value = Self()
        value.clusterId = nulls ? nil : "clusterId-1-é"
        value.voterId = 1002
        value.voterDirectoryId = WireUUID(high: 3, low: 0x0123_4567_89ab_cdef)
        return value
    }
}

extension RemoveRaftVoterResponse {
    /// A value with every field of `version` set to something other than its default; with
    /// `nulls`, fields nullable in that version are nil instead.
    static func sample(version: Int16, nulls: Bool = false) -> Self {
        var value = Self()
        value.throttleTimeMs = 1004
        value.errorCode = 105
        value.errorMessage = nulls ? nil : "errorMessage-6-é"
        return value
    }
}

extension RequestHeader {
    /// A value with every field of `version` set to something other than its default; with
    /// `nulls`, fields nullable in that version are nil instead.
    static func sample(version: Int16, nulls: Bool = false) -> Self {
        var value = Self()
        value.apiKey = 101
        value.apiVersion = 102
        value.correlationId = 1003
        if version >= 1 { value.clientId = nulls ? nil : "clientId-4-é" }
        return value
    }
}

extension ResponseHeader {
    /// A value with every field of `version` set to something other than its default; with
    /// `nulls`, fields nullable in that version are nil instead.
    static func sample(version: Int16, nulls: Bool = false) -> Self {
        var value = Self()
        value.correlationId = 1001
        return value
    }
}

extension SaslAuthenticateRequest {
    /// A value with every field of `version` set to something other than its default; with
    /// `nulls`, fields nullable in that version are nil instead.
    static func sample(version: Int16, nulls: Bool = false) -> Self {
        var value = Self()
        value.authBytes = [1, 0, 255]
        return value
    }
}

extension SaslAuthenticateResponse {
    /// A value with every field of `version` set to something other than its default; with
    /// `nulls`, fields nullable in that version are nil instead.
    static func sample(version: Int16, nulls: Bool = false) -> Self {
        var value = Self()
        value.errorCode = 102
        value.errorMessage = nulls ? nil : "errorMessage-3-é"
        value.authBytes = [4, 0, 255]
        if version >= 1 { value.sessionLifetimeMs = 1000000000005 }
        return value
    }
}

extension SaslHandshakeRequest {
    /// A value with every field of `version` set to something other than its default; with
    /// `nulls`, fields nullable in that version are nil instead.
    static func sample(version: Int16, nulls: Bool = false) -> Self {
        var value = Self()
        value.mechanism = "mechanism-1-é"
        return value
    }
}

extension SaslHandshakeResponse {
    /// A value with every field of `version` set to something other than its default; with
    /// `nulls`, fields nullable in that version are nil instead.
    static func sample(version: Int16, nulls: Bool = false) -> Self {
        var value = Self()
        value.errorCode = 102
        value.mechanisms = ["a-3-é", "b-3-é"]
        return value
    }
}

extension SyncGroupRequest {
    /// A value with every field of `version` set to something other than its default; with
    /// `nulls`, fields nullable in that version are nil instead.
    static func sample(version: Int16, nulls: Bool = false) -> Self {
        var value = Self()
        value.groupId = "groupId-1-é"
        value.generationId = 1002
        value.memberId = "memberId-3-é"
        if version >= 3 { value.groupInstanceId = nulls ? nil : "groupInstanceId-4-é" }
        if version >= 5 { value.protocolType = nulls ? nil : "protocolType-5-é" }
        if version >= 5 { value.protocolName = nulls ? nil : "protocolName-6-é" }
        value.assignments = [Assignment.sample(version: version, nulls: nulls), Assignment.sample(version: version, nulls: nulls)]
        return value
    }
}

extension SyncGroupRequest.Assignment {
    /// A value with every field of `version` set to something other than its default; with
    /// `nulls`, fields nullable in that version are nil instead.
    static func sample(version: Int16, nulls: Bool = false) -> Self {
        var value = Self()
        value.memberId = "memberId-8-é"
        value.assignment = [9, 0, 255]
        return value
    }
}

extension SyncGroupResponse {
    /// A value with every field of `version` set to something other than its default; with
    /// `nulls`, fields nullable in that version are nil instead.
    static func sample(version: Int16, nulls: Bool = false) -> Self {
        var value = Self()
        if version >= 1 { value.throttleTimeMs = 1010 }
        value.errorCode = 111
        if version >= 5 { value.protocolType = nulls ? nil : "protocolType-12-é" }
        if version >= 5 { value.protocolName = nulls ? nil : "protocolName-13-é" }
        value.assignment = [14, 0, 255]
        return value
    }
}

extension KafkaRequest {
    /// `sample(version:nulls:)` of the request body of `apiKey`.
    static func sample(_ apiKey: ApiKey, version: Int16, nulls: Bool = false) -> Self {
        switch apiKey {
        case .produce: return .produce(ProduceRequest.sample(version: version, nulls: nulls))
        case .fetch: return .fetch(FetchRequest.sample(version: version, nulls: nulls))
        case .listOffsets: return .listOffsets(ListOffsetsRequest.sample(version: version, nulls: nulls))
        case .metadata: return .metadata(MetadataRequest.sample(version: version, nulls: nulls))
        case .offsetCommit: return .offsetCommit(OffsetCommitRequest.sample(version: version, nulls: nulls))
        case .offsetFetch: return .offsetFetch(OffsetFetchRequest.sample(version: version, nulls: nulls))
        case .findCoordinator: return .findCoordinator(FindCoordinatorRequest.sample(version: version, nulls: nulls))
        case .joinGroup: return .joinGroup(JoinGroupRequest.sample(version: version, nulls: nulls))
        case .heartbeat: return .heartbeat(HeartbeatRequest.sample(version: version, nulls: nulls))
        case .leaveGroup: return .leaveGroup(LeaveGroupRequest.sample(version: version, nulls: nulls))
        case .syncGroup: return .syncGroup(SyncGroupRequest.sample(version: version, nulls: nulls))
        case .describeGroups: return .describeGroups(DescribeGroupsRequest.sample(version: version, nulls: nulls))
        case .listGroups: return .listGroups(ListGroupsRequest.sample(version: version, nulls: nulls))
        case .saslHandshake: return .saslHandshake(SaslHandshakeRequest.sample(version: version, nulls: nulls))
        case .apiVersions: return .apiVersions(ApiVersionsRequest.sample(version: version, nulls: nulls))
        case .createTopics: return .createTopics(CreateTopicsRequest.sample(version: version, nulls: nulls))
        case .deleteTopics: return .deleteTopics(DeleteTopicsRequest.sample(version: version, nulls: nulls))
        case .deleteRecords: return .deleteRecords(DeleteRecordsRequest.sample(version: version, nulls: nulls))
        case .initProducerId: return .initProducerId(InitProducerIdRequest.sample(version: version, nulls: nulls))
        case .offsetForLeaderEpoch: return .offsetForLeaderEpoch(OffsetForLeaderEpochRequest.sample(version: version, nulls: nulls))
        case .describeAcls: return .describeAcls(DescribeAclsRequest.sample(version: version, nulls: nulls))
        case .createAcls: return .createAcls(CreateAclsRequest.sample(version: version, nulls: nulls))
        case .deleteAcls: return .deleteAcls(DeleteAclsRequest.sample(version: version, nulls: nulls))
        case .describeConfigs: return .describeConfigs(DescribeConfigsRequest.sample(version: version, nulls: nulls))
        case .alterConfigs: return .alterConfigs(AlterConfigsRequest.sample(version: version, nulls: nulls))
        case .saslAuthenticate: return .saslAuthenticate(SaslAuthenticateRequest.sample(version: version, nulls: nulls))
        case .createPartitions: return .createPartitions(CreatePartitionsRequest.sample(version: version, nulls: nulls))
        case .deleteGroups: return .deleteGroups(DeleteGroupsRequest.sample(version: version, nulls: nulls))
        case .incrementalAlterConfigs: return .incrementalAlterConfigs(IncrementalAlterConfigsRequest.sample(version: version, nulls: nulls))
        case .alterPartitionReassignments: return .alterPartitionReassignments(AlterPartitionReassignmentsRequest.sample(version: version, nulls: nulls))
        case .listPartitionReassignments: return .listPartitionReassignments(ListPartitionReassignmentsRequest.sample(version: version, nulls: nulls))
        case .offsetDelete: return .offsetDelete(OffsetDeleteRequest.sample(version: version, nulls: nulls))
        case .describeClientQuotas: return .describeClientQuotas(DescribeClientQuotasRequest.sample(version: version, nulls: nulls))
        case .alterClientQuotas: return .alterClientQuotas(AlterClientQuotasRequest.sample(version: version, nulls: nulls))
        case .describeUserScramCredentials: return .describeUserScramCredentials(DescribeUserScramCredentialsRequest.sample(version: version, nulls: nulls))
        case .alterUserScramCredentials: return .alterUserScramCredentials(AlterUserScramCredentialsRequest.sample(version: version, nulls: nulls))
        case .describeQuorum: return .describeQuorum(DescribeQuorumRequest.sample(version: version, nulls: nulls))
        case .addRaftVoter: return .addRaftVoter(AddRaftVoterRequest.sample(version: version, nulls: nulls))
        case .removeRaftVoter: return .removeRaftVoter(RemoveRaftVoterRequest.sample(version: version, nulls: nulls))
        }
    }

    /// The request body of `apiKey` with every field at its schema default.
    static func defaults(_ apiKey: ApiKey) -> Self {
        switch apiKey {
        case .produce: return .produce(ProduceRequest())
        case .fetch: return .fetch(FetchRequest())
        case .listOffsets: return .listOffsets(ListOffsetsRequest())
        case .metadata: return .metadata(MetadataRequest())
        case .offsetCommit: return .offsetCommit(OffsetCommitRequest())
        case .offsetFetch: return .offsetFetch(OffsetFetchRequest())
        case .findCoordinator: return .findCoordinator(FindCoordinatorRequest())
        case .joinGroup: return .joinGroup(JoinGroupRequest())
        case .heartbeat: return .heartbeat(HeartbeatRequest())
        case .leaveGroup: return .leaveGroup(LeaveGroupRequest())
        case .syncGroup: return .syncGroup(SyncGroupRequest())
        case .describeGroups: return .describeGroups(DescribeGroupsRequest())
        case .listGroups: return .listGroups(ListGroupsRequest())
        case .saslHandshake: return .saslHandshake(SaslHandshakeRequest())
        case .apiVersions: return .apiVersions(ApiVersionsRequest())
        case .createTopics: return .createTopics(CreateTopicsRequest())
        case .deleteTopics: return .deleteTopics(DeleteTopicsRequest())
        case .deleteRecords: return .deleteRecords(DeleteRecordsRequest())
        case .initProducerId: return .initProducerId(InitProducerIdRequest())
        case .offsetForLeaderEpoch: return .offsetForLeaderEpoch(OffsetForLeaderEpochRequest())
        case .describeAcls: return .describeAcls(DescribeAclsRequest())
        case .createAcls: return .createAcls(CreateAclsRequest())
        case .deleteAcls: return .deleteAcls(DeleteAclsRequest())
        case .describeConfigs: return .describeConfigs(DescribeConfigsRequest())
        case .alterConfigs: return .alterConfigs(AlterConfigsRequest())
        case .saslAuthenticate: return .saslAuthenticate(SaslAuthenticateRequest())
        case .createPartitions: return .createPartitions(CreatePartitionsRequest())
        case .deleteGroups: return .deleteGroups(DeleteGroupsRequest())
        case .incrementalAlterConfigs: return .incrementalAlterConfigs(IncrementalAlterConfigsRequest())
        case .alterPartitionReassignments: return .alterPartitionReassignments(AlterPartitionReassignmentsRequest())
        case .listPartitionReassignments: return .listPartitionReassignments(ListPartitionReassignmentsRequest())
        case .offsetDelete: return .offsetDelete(OffsetDeleteRequest())
        case .describeClientQuotas: return .describeClientQuotas(DescribeClientQuotasRequest())
        case .alterClientQuotas: return .alterClientQuotas(AlterClientQuotasRequest())
        case .describeUserScramCredentials: return .describeUserScramCredentials(DescribeUserScramCredentialsRequest())
        case .alterUserScramCredentials: return .alterUserScramCredentials(AlterUserScramCredentialsRequest())
        case .describeQuorum: return .describeQuorum(DescribeQuorumRequest())
        case .addRaftVoter: return .addRaftVoter(AddRaftVoterRequest())
        case .removeRaftVoter: return .removeRaftVoter(RemoveRaftVoterRequest())
        }
    }
}

extension KafkaResponse {
    /// `sample(version:nulls:)` of the response body of `apiKey`.
    static func sample(_ apiKey: ApiKey, version: Int16, nulls: Bool = false) -> Self {
        switch apiKey {
        case .produce: return .produce(ProduceResponse.sample(version: version, nulls: nulls))
        case .fetch: return .fetch(FetchResponse.sample(version: version, nulls: nulls))
        case .listOffsets: return .listOffsets(ListOffsetsResponse.sample(version: version, nulls: nulls))
        case .metadata: return .metadata(MetadataResponse.sample(version: version, nulls: nulls))
        case .offsetCommit: return .offsetCommit(OffsetCommitResponse.sample(version: version, nulls: nulls))
        case .offsetFetch: return .offsetFetch(OffsetFetchResponse.sample(version: version, nulls: nulls))
        case .findCoordinator: return .findCoordinator(FindCoordinatorResponse.sample(version: version, nulls: nulls))
        case .joinGroup: return .joinGroup(JoinGroupResponse.sample(version: version, nulls: nulls))
        case .heartbeat: return .heartbeat(HeartbeatResponse.sample(version: version, nulls: nulls))
        case .leaveGroup: return .leaveGroup(LeaveGroupResponse.sample(version: version, nulls: nulls))
        case .syncGroup: return .syncGroup(SyncGroupResponse.sample(version: version, nulls: nulls))
        case .describeGroups: return .describeGroups(DescribeGroupsResponse.sample(version: version, nulls: nulls))
        case .listGroups: return .listGroups(ListGroupsResponse.sample(version: version, nulls: nulls))
        case .saslHandshake: return .saslHandshake(SaslHandshakeResponse.sample(version: version, nulls: nulls))
        case .apiVersions: return .apiVersions(ApiVersionsResponse.sample(version: version, nulls: nulls))
        case .createTopics: return .createTopics(CreateTopicsResponse.sample(version: version, nulls: nulls))
        case .deleteTopics: return .deleteTopics(DeleteTopicsResponse.sample(version: version, nulls: nulls))
        case .deleteRecords: return .deleteRecords(DeleteRecordsResponse.sample(version: version, nulls: nulls))
        case .initProducerId: return .initProducerId(InitProducerIdResponse.sample(version: version, nulls: nulls))
        case .offsetForLeaderEpoch: return .offsetForLeaderEpoch(OffsetForLeaderEpochResponse.sample(version: version, nulls: nulls))
        case .describeAcls: return .describeAcls(DescribeAclsResponse.sample(version: version, nulls: nulls))
        case .createAcls: return .createAcls(CreateAclsResponse.sample(version: version, nulls: nulls))
        case .deleteAcls: return .deleteAcls(DeleteAclsResponse.sample(version: version, nulls: nulls))
        case .describeConfigs: return .describeConfigs(DescribeConfigsResponse.sample(version: version, nulls: nulls))
        case .alterConfigs: return .alterConfigs(AlterConfigsResponse.sample(version: version, nulls: nulls))
        case .saslAuthenticate: return .saslAuthenticate(SaslAuthenticateResponse.sample(version: version, nulls: nulls))
        case .createPartitions: return .createPartitions(CreatePartitionsResponse.sample(version: version, nulls: nulls))
        case .deleteGroups: return .deleteGroups(DeleteGroupsResponse.sample(version: version, nulls: nulls))
        case .incrementalAlterConfigs: return .incrementalAlterConfigs(IncrementalAlterConfigsResponse.sample(version: version, nulls: nulls))
        case .alterPartitionReassignments: return .alterPartitionReassignments(AlterPartitionReassignmentsResponse.sample(version: version, nulls: nulls))
        case .listPartitionReassignments: return .listPartitionReassignments(ListPartitionReassignmentsResponse.sample(version: version, nulls: nulls))
        case .offsetDelete: return .offsetDelete(OffsetDeleteResponse.sample(version: version, nulls: nulls))
        case .describeClientQuotas: return .describeClientQuotas(DescribeClientQuotasResponse.sample(version: version, nulls: nulls))
        case .alterClientQuotas: return .alterClientQuotas(AlterClientQuotasResponse.sample(version: version, nulls: nulls))
        case .describeUserScramCredentials: return .describeUserScramCredentials(DescribeUserScramCredentialsResponse.sample(version: version, nulls: nulls))
        case .alterUserScramCredentials: return .alterUserScramCredentials(AlterUserScramCredentialsResponse.sample(version: version, nulls: nulls))
        case .describeQuorum: return .describeQuorum(DescribeQuorumResponse.sample(version: version, nulls: nulls))
        case .addRaftVoter: return .addRaftVoter(AddRaftVoterResponse.sample(version: version, nulls: nulls))
        case .removeRaftVoter: return .removeRaftVoter(RemoveRaftVoterResponse.sample(version: version, nulls: nulls))
        }
    }

    /// The response body of `apiKey` with every field at its schema default.
    static func defaults(_ apiKey: ApiKey) -> Self {
        switch apiKey {
        case .produce: return .produce(ProduceResponse())
        case .fetch: return .fetch(FetchResponse())
        case .listOffsets: return .listOffsets(ListOffsetsResponse())
        case .metadata: return .metadata(MetadataResponse())
        case .offsetCommit: return .offsetCommit(OffsetCommitResponse())
        case .offsetFetch: return .offsetFetch(OffsetFetchResponse())
        case .findCoordinator: return .findCoordinator(FindCoordinatorResponse())
        case .joinGroup: return .joinGroup(JoinGroupResponse())
        case .heartbeat: return .heartbeat(HeartbeatResponse())
        case .leaveGroup: return .leaveGroup(LeaveGroupResponse())
        case .syncGroup: return .syncGroup(SyncGroupResponse())
        case .describeGroups: return .describeGroups(DescribeGroupsResponse())
        case .listGroups: return .listGroups(ListGroupsResponse())
        case .saslHandshake: return .saslHandshake(SaslHandshakeResponse())
        case .apiVersions: return .apiVersions(ApiVersionsResponse())
        case .createTopics: return .createTopics(CreateTopicsResponse())
        case .deleteTopics: return .deleteTopics(DeleteTopicsResponse())
        case .deleteRecords: return .deleteRecords(DeleteRecordsResponse())
        case .initProducerId: return .initProducerId(InitProducerIdResponse())
        case .offsetForLeaderEpoch: return .offsetForLeaderEpoch(OffsetForLeaderEpochResponse())
        case .describeAcls: return .describeAcls(DescribeAclsResponse())
        case .createAcls: return .createAcls(CreateAclsResponse())
        case .deleteAcls: return .deleteAcls(DeleteAclsResponse())
        case .describeConfigs: return .describeConfigs(DescribeConfigsResponse())
        case .alterConfigs: return .alterConfigs(AlterConfigsResponse())
        case .saslAuthenticate: return .saslAuthenticate(SaslAuthenticateResponse())
        case .createPartitions: return .createPartitions(CreatePartitionsResponse())
        case .deleteGroups: return .deleteGroups(DeleteGroupsResponse())
        case .incrementalAlterConfigs: return .incrementalAlterConfigs(IncrementalAlterConfigsResponse())
        case .alterPartitionReassignments: return .alterPartitionReassignments(AlterPartitionReassignmentsResponse())
        case .listPartitionReassignments: return .listPartitionReassignments(ListPartitionReassignmentsResponse())
        case .offsetDelete: return .offsetDelete(OffsetDeleteResponse())
        case .describeClientQuotas: return .describeClientQuotas(DescribeClientQuotasResponse())
        case .alterClientQuotas: return .alterClientQuotas(AlterClientQuotasResponse())
        case .describeUserScramCredentials: return .describeUserScramCredentials(DescribeUserScramCredentialsResponse())
        case .alterUserScramCredentials: return .alterUserScramCredentials(AlterUserScramCredentialsResponse())
        case .describeQuorum: return .describeQuorum(DescribeQuorumResponse())
        case .addRaftVoter: return .addRaftVoter(AddRaftVoterResponse())
        case .removeRaftVoter: return .removeRaftVoter(RemoveRaftVoterResponse())
        }
    }
}
