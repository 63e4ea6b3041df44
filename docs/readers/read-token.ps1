# Read an alegra-wizard token from Windows Credential Manager (target alegra-wizard:<id>).
# Usage: powershell -NoProfile -ExecutionPolicy Bypass -File read-token.ps1 <profile id>
param([Parameter(Mandatory = $true)][string]$ProfileId)
Add-Type -Namespace AlegraWizard -Name Cred -MemberDefinition @'
[StructLayout(LayoutKind.Sequential, CharSet = CharSet.Unicode)]
public struct CREDENTIAL {
    public int Flags; public int Type; public string TargetName; public string Comment;
    public long LastWritten; public int CredentialBlobSize; public IntPtr CredentialBlob;
    public int Persist; public int AttributeCount; public IntPtr Attributes;
    public string TargetAlias; public string UserName;
}
[DllImport("advapi32.dll", CharSet = CharSet.Unicode, SetLastError = true)]
public static extern bool CredRead(string target, int type, int flags, out IntPtr credential);
[DllImport("advapi32.dll")]
public static extern void CredFree(IntPtr credential);
'@
$pointer = [IntPtr]::Zero
if (-not [AlegraWizard.Cred]::CredRead("alegra-wizard:$ProfileId", 1, 0, [ref]$pointer)) {
    Write-Error "no token stored for profile $ProfileId"
    exit 1
}
try {
    $credential = [Runtime.InteropServices.Marshal]::PtrToStructure(
        $pointer, [type][AlegraWizard.Cred+CREDENTIAL])
    # keyring writes the secret as UTF-16: CredentialBlobSize bytes, two per character.
    [Runtime.InteropServices.Marshal]::PtrToStringUni(
        $credential.CredentialBlob, $credential.CredentialBlobSize / 2)
} finally {
    [AlegraWizard.Cred]::CredFree($pointer)
}
