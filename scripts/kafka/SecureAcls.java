// The ACLs of the secure node's test users, added by `kafka.sh start secure`
// through the Admin API of kafka-clients (run from source: java -cp 'libs/*' SecureAcls.java).
// alice (SASL), krafka-client (the mTLS certificate) and ANONYMOUS (TLS without a
// client certificate) may do anything with topics and groups named `secure-*`;
// bob gets nothing, so with allow.everyone.if.no.acl.found=false he is denied.
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;

public class SecureAcls {
    public static void main(String[] args) throws Exception {
        if (args.length != 3) {
            System.err.println("usage: SecureAcls <bootstrap> <admin user> <admin password>");
            System.exit(2);
        }
        Properties props = new Properties();
        props.put("bootstrap.servers", args[0]);
        props.put("security.protocol", "SASL_PLAINTEXT");
        props.put("sasl.mechanism", "PLAIN");
        props.put("sasl.jaas.config", "org.apache.kafka.common.security.plain.PlainLoginModule required"
                + " username=\"" + args[1] + "\" password=\"" + args[2] + "\";");
        List<AclBinding> acls = new ArrayList<>();
        for (String user : List.of("alice", "krafka-client", "ANONYMOUS")) {
            for (ResourceType type : List.of(ResourceType.TOPIC, ResourceType.GROUP)) {
                acls.add(new AclBinding(
                        new ResourcePattern(type, "secure-", PatternType.PREFIXED),
                        new AccessControlEntry("User:" + user, "*", AclOperation.ALL, AclPermissionType.ALLOW)));
            }
        }
        try (Admin admin = Admin.create(props)) {
            admin.createAcls(acls).all().get();
        }
        System.out.println("added " + acls.size() + " ACLs");
    }
}
