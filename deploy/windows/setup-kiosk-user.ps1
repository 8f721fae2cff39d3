<#
  Sets a local user up as the kiosk user, or gives that user a normal desktop back.
  NOT RUN ON WINDOWS: written against Microsoft's documentation on a Linux machine. Try it on a
  spare PC first. The installer (kiosk.nsi) calls it; an administrator can run it by hand too:

    powershell -ExecutionPolicy Bypass -File setup-kiosk-user.ps1 -User kiosk -Mode task
    powershell -ExecutionPolicy Bypass -File setup-kiosk-user.ps1 -User kiosk -Mode undo

  Modes (deploy/windows.md explains which to pick):
    shelllauncher  Enterprise, Education, IoT Enterprise: Shell Launcher runs the supervisor as the
                   shell of this user (Explorer never starts for it) and restarts it if it exits.
    shell          Pro: the per-user replacement shell, the Shell value in the user's
                   HKCU\Software\Microsoft\Windows NT\CurrentVersion\Winlogon.
    task           Pro: a scheduled task at this user's logon; Explorer still runs behind the kiosk.
    undo           removes all three and the policies below: a normal desktop at the next logon.
  Every mode but undo also sets, for this user only, the policies that take "Task Manager",
  "Lock", "Change a password" and "Sign out" off the Ctrl+Alt+Del screen (DisableTaskMgr,
  DisableLockWorkstation, DisableChangePassword, NoLogoff). "Switch user" and the power button stay.
#>
param(
    [Parameter(Mandatory = $true)][string]$User,
    [Parameter(Mandatory = $true)][ValidateSet("shelllauncher", "shell", "task", "undo")][string]$Mode,
    [string]$InstallDir = (Split-Path -Parent $PSScriptRoot)
)
$ErrorActionPreference = "Stop"
$Shell = "`"$InstallDir\kioskw.exe`" supervise"
$TaskName = "Safe-migration kiosk"
$WinlogonKey = "Software\Microsoft\Windows NT\CurrentVersion\Winlogon"
$PolicyKey = "Software\Microsoft\Windows\CurrentVersion\Policies\System"
$ExplorerPolicyKey = "Software\Microsoft\Windows\CurrentVersion\Policies\Explorer"

$Sid = (New-Object System.Security.Principal.NTAccount($User)).Translate(
    [System.Security.Principal.SecurityIdentifier]).Value

function Edit-UserHive([scriptblock]$Change) {
    # The user's HKCU: loaded under HKEY_USERS while the user is logged on, else from NTUSER.DAT.
    if (Test-Path "Registry::HKEY_USERS\$Sid") { & $Change "Registry::HKEY_USERS\$Sid"; return }
    $ProfileDir = (Get-ItemProperty "HKLM:\SOFTWARE\Microsoft\Windows NT\CurrentVersion\ProfileList\$Sid" `
        -ErrorAction SilentlyContinue).ProfileImagePath
    if (-not $ProfileDir) {
        throw "User $User has never logged on, so there is no profile to change yet. Log on as $User once, log off, and run this again."
    }
    & reg.exe load "HKU\KioskSetup" "$ProfileDir\NTUSER.DAT" | Out-Null
    try { & $Change "Registry::HKEY_USERS\KioskSetup" }
    finally { [gc]::Collect(); & reg.exe unload "HKU\KioskSetup" | Out-Null }
}

function Set-Policies([string]$Root, [bool]$On) {
    $Key = "$Root\$PolicyKey"
    if ($On) {
        New-Item -Path $Key -Force | Out-Null
        foreach ($Name in "DisableTaskMgr", "DisableLockWorkstation", "DisableChangePassword") {
            New-ItemProperty -Path $Key -Name $Name -Value 1 -PropertyType DWord -Force | Out-Null
        }
        New-Item -Path "$Root\$ExplorerPolicyKey" -Force | Out-Null
        New-ItemProperty -Path "$Root\$ExplorerPolicyKey" -Name NoLogoff -Value 1 -PropertyType DWord -Force | Out-Null
    } elseif (Test-Path $Key) {
        foreach ($Name in "DisableTaskMgr", "DisableLockWorkstation", "DisableChangePassword") {
            Remove-ItemProperty -Path $Key -Name $Name -ErrorAction SilentlyContinue
        }
        Remove-ItemProperty -Path "$Root\$ExplorerPolicyKey" -Name NoLogoff -ErrorAction SilentlyContinue
    }
}

function Remove-Everything {
    Edit-UserHive { param($Root)
        Remove-ItemProperty -Path "$Root\$WinlogonKey" -Name Shell -ErrorAction SilentlyContinue
        Set-Policies $Root $false }
    & schtasks.exe /Delete /TN $TaskName /F 2>$null | Out-Null
    try {
        $Launcher = [wmiclass]"\\localhost\root\standardcimv2\embedded:WESL_UserSetting"
        $Launcher.RemoveCustomShell($Sid) | Out-Null
    } catch { }  # no Shell Launcher on this edition
}

switch ($Mode) {
    "undo" { Remove-Everything; Write-Output "User $User gets a normal desktop at the next logon." }
    "shelllauncher" {
        Remove-Everything
        Enable-WindowsOptionalFeature -Online -FeatureName Client-EmbeddedShellLauncher -All -NoRestart | Out-Null
        $Launcher = [wmiclass]"\\localhost\root\standardcimv2\embedded:WESL_UserSetting"
        $Launcher.SetDefaultShell("explorer.exe", 0) | Out-Null     # everyone else: the normal desktop
        $Launcher.SetCustomShell($Sid, $Shell, ($null), ($null), 0) | Out-Null  # 0: restart the shell
        $Launcher.SetEnabled($true) | Out-Null
        Edit-UserHive { param($Root) Set-Policies $Root $true }
        Write-Output "Shell Launcher: $User gets the kiosk as its shell. Restart the PC."
    }
    "shell" {
        Remove-Everything
        Edit-UserHive { param($Root)
            New-Item -Path "$Root\$WinlogonKey" -Force | Out-Null
            New-ItemProperty -Path "$Root\$WinlogonKey" -Name Shell -Value $Shell -PropertyType String -Force | Out-Null
            Set-Policies $Root $true }
        Write-Output "Replacement shell: $User gets the kiosk instead of Explorer at the next logon."
    }
    "task" {
        Remove-Everything
        # /IT: runs in the user's own session, only while the user is logged on: no password stored.
        & schtasks.exe /Create /TN $TaskName /TR $Shell /SC ONLOGON /RU $User /IT /RL LIMITED /F | Out-Null
        if ($LASTEXITCODE -ne 0) { throw "schtasks could not create the logon task for $User" }
        Edit-UserHive { param($Root) Set-Policies $Root $true }
        Write-Output "Logon task: the kiosk starts when $User logs on."
    }
}
